// Times a wasm32 build of a QR candidate (bench/qr/wasm-size.sh output) on the corpus in Node's
// V8 — the engine Chromium uses — until the in-browser harness exists. Needs the raw luma files
// from `cargo run --release --bin dump_luma` (bench/qr/compare).
//   [REPEAT=3] [SLOWEST=n] node bench/qr/wasm-node.mjs [WASM] [CORPUS] [LUMA]
// Success = the decoder returned exactly as many payload bytes as the expected payload has
// (the native harness checks the payload text itself, with the same code).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "out", "qr");
const wasmPath = process.argv[2] ?? path.join(out, "wasm", "kiln-qr.opt.wasm");
const corpus = process.argv[3] ?? path.join(out, "corpus");
const lumaDir = process.argv[4] ?? path.join(out, "luma");

const wasmBytes = readFileSync(wasmPath);
let exports;
const instantiate = async () => {
  exports = (await WebAssembly.instantiate(wasmBytes, {})).instance.exports;
};
await instantiate();
const manifest = JSON.parse(readFileSync(path.join(corpus, "manifest.json"), "utf8"));

const rows = [];
for (const entry of manifest.images) {
  const luma = readFileSync(path.join(lumaDir, entry.file + ".luma"));
  // Fastest of REPEAT runs (default 3), in CPU time of this process: other processes share this
  // machine's cores and inflate wall time.
  let ms = Infinity;
  let bytes = 0;
  let trapped = false;
  for (let i = 0; i < Number(process.env.REPEAT ?? 3) && !trapped; i++) {
    const { memory, alloc_pixels, decode } = exports;
    const ptr = alloc_pixels(luma.length);
    new Uint8Array(memory.buffer, ptr, luma.length).set(luma);
    const start = process.cpuUsage();
    try {
      bytes = decode(ptr, entry.width, entry.height);
    } catch (e) {
      // A Rust panic (panic=abort) traps; the instance is unusable afterwards.
      trapped = true;
      bytes = -1;
      await instantiate();
    }
    const used = process.cpuUsage(start);
    ms = Math.min(ms, (used.user + used.system) / 1000);
  }
  const expected = entry.payload === null ? 0 : Buffer.byteLength(entry.payload, "utf8");
  rows.push({ entry, ok: bytes === expected, ms, trapped });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const positives = rows.filter((r) => r.entry.payload !== null);
const negatives = rows.filter((r) => r.entry.payload === null);
const frames = positives.filter((r) => r.entry.width === 1280 && r.entry.height === 720);
const fmt = (x) => x.toFixed(1);
console.log(`wasm: ${path.basename(wasmPath)}, node ${process.version}, CPU ms per image`);
console.log("| set | decoded | traps | mean ms | median ms | max ms |\n|---|---|---|---|---|---|");
for (const [name, set] of [["all with a QR", positives], ["1280×720 with a QR", frames],
                           ["no QR (1280×720)", negatives]]) {
  const ms = set.map((r) => r.ms);
  console.log(`| ${name} | ${set.filter((r) => r.ok).length}/${set.length} | ` +
              `${set.filter((r) => r.trapped).length} | ${fmt(mean(ms))} | ` +
              `${fmt(median(ms))} | ${fmt(Math.max(...ms))} |`);
}
if (process.env.SLOWEST) {
  for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.SLOWEST))) {
    console.log(`${r.entry.file} ${r.entry.width}×${r.entry.height} ${fmt(r.ms)} ms ok=${r.ok}`);
  }
}
