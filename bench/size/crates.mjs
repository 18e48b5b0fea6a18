// Code and data of a wasm by crate: `twiggy top` (shallow bytes of every item) summed by the crate
// the item's name starts with (`<T as Trait>` items under the crate of T), custom sections
// (names, relocations) left out. Run it on a wasm that still has its names, i.e. cargo's output
// before wasm-bindgen and wasm-opt: target/wasm32-unknown-unknown/release/kiln-web.wasm for the
// whole app, target/kiln-split/release/main.wasm for the first-load part after the split.
// Usage: node bench/size/crates.mjs FILE.wasm [rows]  → a Markdown table
import { execFileSync } from 'node:child_process';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/size/crates.mjs FILE.wasm [rows]');
  process.exit(2);
}
const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', file], { maxBuffer: 1 << 28 }).toString();
const byCrate = new Map();
let total = 0;
for (const line of csv.split('\n').slice(1)) {
  const m = line.match(/^(.*),(\d+),[\d.]+,[^,]*,[^,]*$/);
  if (!m) continue;
  const [, rawName, size] = m;
  const name = rawName.replace(/^"|"$/g, '');
  if (/custom section|function names|^reloc|^export "|^import /.test(name) || name.startsWith('"function names"')) continue;
  let crate;
  if (name.startsWith('data segment') || name.startsWith('data[')) crate = '(data: .rodata etc.)';
  else if (name.startsWith('<')) crate = name.match(/^<(?:impl )?&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)/)?.[1] ?? '(generic)';
  else crate = name.match(/^([A-Za-z_][A-Za-z0-9_]*)/)?.[1] ?? '(other)';
  if (crate.length <= 2 && /^[A-Z]/.test(crate)) crate = '(generic <T …>)';
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + Number(size));
  total += Number(size);
}
const rows = [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 20));
console.log(`| crate | bytes | share |\n|---|---:|---:|`);
for (const [crate, size] of rows) console.log(`| ${crate} | ${size.toLocaleString('en')} | ${((100 * size) / total).toFixed(1)} % |`);
console.log(`| **all code and data** | **${total.toLocaleString('en')}** | |`);
