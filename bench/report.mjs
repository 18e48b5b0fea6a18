// Writes the benchmark tables into README.md between <!-- bench:begin --> and <!-- bench:end -->,
// from what bench/run.sh left in bench/out/. Sections whose inputs are missing keep the README's
// previous text.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'bench/out');
const read = (name) => (existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8') : null);
const json = (name) => { const t = read(name); return t ? JSON.parse(t) : null; };
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const n = (x) => x.toLocaleString('en-US');
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0]; } catch { return '?'; } };

const machine = `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
const versions = `${sh('rustc', ['--version'])}; ${sh('chromium', ['--version']).replace(/^.*?(Chromium)/, '$1')}; node ${process.version}; trunk ${sh('trunk', ['--version']).replace('trunk ', '')}`;
const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const load = (() => { try { return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '); } catch { return '?'; } })();

const sections = [];
sections.push(`Measured ${date} by \`bash bench/run.sh\` on ${machine} (load average at the end: ${load}); ${versions}.`);

const bundle = json('bundle.json');
if (bundle) {
  const rows = bundle.files
    .filter((f) => !f.file.startsWith('assets/'))
    .map((f) => `| \`${f.file}\` | ${n(f.raw)} | ${n(f.gzip)} | ${bundle.first_load.files.includes(f.file) ? 'yes' : 'on demand'} |`);
  sections.push(`### Bundle (dist/)

| file | raw bytes | gzip -9 bytes | first load |
|---|---|---|---|
${rows.join('\n')}

**First-load transfer: ${kb(bundle.first_load.gzip)} gzip** (${kb(bundle.first_load.raw)} raw) for index.html, loader, JS, WASM and CSS — budget 200 KB gzip (issue #19; \`tests/e2e/first-load-budget.test.mjs\` enforces it on what Chromium fetches). Icons and manifest (\`assets/\`) add ${kb(bundle.files.filter((f) => f.file.startsWith('assets/')).reduce((a, f) => a + f.gzip, 0))}.`);
}

const ld = json('load.json');
if (ld) {
  const row = (label, s) => `| ${label} | ${s.median_ms} | ${s.p10_ms}–${s.p90_ms} | ${s.min_ms}–${s.max_ms} | ${s.runs} |`;
  sections.push(`### Load: navigation start → wizard interactive (headless Chromium, local server, cold cache)

| CPU | median ms | p10–p90 ms | min–max ms | runs |
|---|---|---|---|---|
${row('normal', ld.cpu_x1)}
${row('4× throttled (DevTools)', ld.cpu_x4)}`);
}

const native = read('burn-native.txt');
const wasm = json('burn-wasm.json');
if (native || wasm) {
  const lines = (native ?? '').split('\n');
  const nativeBurn = lines.find((l) => l.startsWith('burn '))?.match(/median ([\d.]+) µs/)?.[1];
  const links = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const link = (name) => links.find((l) => l.reader === name);
  const pn = link('pn533');
  const cc = link('ccid');
  const p2 = link('pn532');
  sections.push(`### Cost of a burn

| measure | value |
|---|---|
| APDUs per burn (the wire minimum) | 5: GET INFO, GET CHALLENGE, ANSWER CHALLENGE, WRITE CONFIG, WRITE SEED |
| USB bulk transfers per burn, PN533 (incl. connect and close) | ${pn ? `${pn.transfers} (${pn.bulk_out} out, ${pn.bulk_in} in, ${pn.zero_length_packets} zero-length)` : '?'} |
| USB bulk transfers per burn, CCID (incl. power on/off) | ${cc ? `${cc.transfers} (${cc.bulk_out} out, ${cc.bulk_in} in)` : '?'} |
| bytes per burn, PN533 over USB (frames only) | ${pn?.bytes_out !== undefined ? `${pn.bytes_out + pn.bytes_in} (${pn.bytes_out} out, ${pn.bytes_in} in)` : '?'} |
| bytes per burn, PN532 board on its serial line (incl. wake-up and SAMConfiguration) | ${p2 ? `${p2.bytes} (${p2.bytes_out} out in ${p2.writes} writes, ${p2.bytes_in} in over ${p2.reads} reads of the simulated board)` : '?'} |
| time on the line per burn, PN532 at ${p2 ? p2.baud : 115200} baud 8N1 (10 bits a byte; board and radio time not modelled) | ${p2 ? `${p2.line_ms} ms` : '?'} |
| host-side time per burn, native (session only, median) | ${nativeBurn ? `${nativeBurn} µs` : '?'} |
| host-side time per burn, WASM in Chromium (median) | ${wasm ? `${wasm.wasm_chromium.median_us.toFixed(1)} µs` : '?'} |
| whole burn natively incl. reader codec and simulated device, PN533 / CCID | ${pn && cc ? `${pn.burn_with_sim_us_median} µs / ${cc.burn_with_sim_us_median} µs` : '?'} |`);
}

const qrResults = existsSync(join(out, 'qr/results.json')) ? JSON.parse(readFileSync(join(out, 'qr/results.json'), 'utf8')) : null;
const qrWasm = existsSync(join(out, 'qr/wasm-chromium.json')) ? JSON.parse(readFileSync(join(out, 'qr/wasm-chromium.json'), 'utf8')) : null;
if (qrResults) {
  const withCode = qrResults.images.filter((i) => i.damage !== 'no_qr');
  const empty = qrResults.images.filter((i) => i.damage === 'no_qr');
  const frames = withCode.filter((i) => i.width === 1280 && i.height === 720);
  // The camera-like classes of issue #19 (bench/qr/camera.py).
  const cameraDamages = ['glare', 'motion_blur', 'small_in_frame', 'perspective_noise', 'uneven_light'];
  const camera = withCode.filter((i) => cameraDamages.includes(i.damage));
  const stat = (name, list) => {
    const ok = list.filter((i) => i.results[name]?.ok).length;
    const times = list.map((i) => i.results[name]?.cpu_ms).filter((t) => t !== undefined).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? NaN;
    return { ok, total: list.length, median };
  };
  const line = (label, name) => {
    if (!withCode.some((i) => i.results[name])) return '';
    const all = stat(name, withCode);
    const cam = stat(name, camera);
    const fr = stat(name, frames);
    const none = stat(name, empty);
    return `\n| ${label} | ${all.ok}/${all.total} (${((100 * all.ok) / all.total).toFixed(1)} %) | ${cam.ok}/${cam.total} | ${all.median.toFixed(1)} | ${fr.median.toFixed(1)} | ${none.median.toFixed(1)} |`;
  };
  let wasmLine = '';
  let wasmNote = '';
  if (qrWasm) {
    const all = qrWasm.all_with_code;
    const cam = qrWasm.camera_classes;
    const fr = qrWasm.frames_1280x720_with_code;
    const none = qrWasm.frames_1280x720_without_code.decode_ms;
    wasmLine = `\n| Kiln (kiln-qr), WASM in Chromium (app worker) | ${all.decoded}/${all.images} (${all.success_rate.toFixed(1)} %) | ${cam ? `${cam.decoded}/${cam.images}` : '?'} | ${all.decode_ms.median.toFixed(1)} | ${fr.decode_ms.median.toFixed(1)} (mean ${fr.decode_ms.mean.toFixed(1)}) | ${none.median.toFixed(1)} (mean ${none.mean.toFixed(1)}) |`;
    wasmNote = ` A 1280×720 frame without a code is given up on after four cheap passes unless they see finder patterns.`;
  }
  const loop = json('qr-camera-loop.json');
  if (loop) {
    const entered = loop.code_enters ?? [];
    const press = entered.map((e) => e.ms_from_scan_press).filter((x) => typeof x === 'number').sort((a, b) => a - b);
    const median = press.length ? press[Math.floor((press.length - 1) / 2)] : null;
    const longTasks = entered.reduce((a, e) => a + (e.long_tasks_over_50ms ?? 0), 0);
    const whileLoading = [loop.empty_scene, ...entered].reduce((a, e) => a + (e.long_tasks_while_loading ?? 0), 0);
    wasmNote += ` Camera loop (\`bench/qr/camera-loop.mjs\`, Chromium's fake camera on a clip made from corpus frames; Scan is pressed 1 s after the first step appears, as a person would at the earliest): an empty scene is scanned at ${loop.empty_scene.frames_per_second} frames per second (the app pauses 40 ms between frames) with ${loop.empty_scene.long_tasks_over_50ms} main-thread long tasks over 50 ms from pressing Scan on; when a code enters the frame (shown ${entered[0]?.code_shown_after_ms ?? '?'} ms after the camera starts) the review screen appears ${median ?? '?'} ms (median of ${press.length}) after pressing Scan, with ${longTasks} long task${longTasks === 1 ? '' : 's'} over 50 ms in those ${entered.length} runs (and ${whileLoading} during the pages' own start-up before Scan, in all ${entered.length + 1} runs).`;
  }
  sections.push(`### QR decoding: ${withCode.length} generated images with realistic damage (\`bench/qr/\`)

| decoder | decoded | camera-like classes | median ms per image | median ms per 1280×720 frame with a code | median ms per 1280×720 frame without |
|---|---|---|---|---|---|${line('Kiln (kiln-qr), native', 'kiln-qr')}${wasmLine}${line('zxing-cpp 3.1.1 (Python bindings), reference', 'zxing-cpp')}${line('zbarimg (zbar-tools), reference', 'zbarimg')}${line('zbarimg -Stest-inverted', 'zbarimg -Stest-inverted')}

Native times are CPU time of the decoder (zbarimg's include starting the process and reading the file; zxing-cpp's are of its C++ decode on pixels in memory).${wasmNote} Per-class tables and the decoder choice: [bench/qr/RESULTS.md](bench/qr/RESULTS.md).`);
}

const block = `<!-- bench:begin -->\n${sections.join('\n\n')}\n<!-- bench:end -->`;
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const begin = readme.indexOf('<!-- bench:begin -->');
const end = readme.indexOf('<!-- bench:end -->');
if (begin < 0 || end < 0) {
  console.error('README.md has no <!-- bench:begin --> … <!-- bench:end --> markers');
  process.exit(1);
}
writeFileSync(readmePath, readme.slice(0, begin) + block + readme.slice(end + '<!-- bench:end -->'.length));
console.log(block);
