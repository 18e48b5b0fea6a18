// Bundle sizes: raw and gzip -9 bytes of every file in dist/, and the first-load transfer
// (what the browser fetches to show the wizard: index.html, the loader, the app's JS, WASM and
// CSS; not the QR and seal workers nor the wasm chunks, which load on demand, nor the service
// worker's later precaching).
// Usage: node bench/bundle.mjs [dist]  → prints JSON
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join, relative, sep } from 'node:path';

const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;

async function walk(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

const files = [];
for (const path of await walk(dist)) {
  const data = await readFile(path);
  files.push({ file: relative(dist, path).split(sep).join('/'), raw: data.length, gzip: gzipSync(data, { level: 9 }).length });
}
// First load: index.html and everything it references directly (the stylesheet, the app's
// module, which bundles the glue, the link module and the start code, and the preloaded wasm),
// plus, transitively, any static `import … from` of that JS (none since the bundle). The
// on-demand chunks (kiln-split-*.wasm) are fetched by the link module only when a screen needs
// them (scripts/split-wasm.mjs), so they are not first load.
const index = await readFile(join(dist, 'index.html'), 'utf8');
const referenced = new Set(['index.html']);
for (const m of index.matchAll(/(?:href|src)="\.?\/?([^"]+)"/g)) referenced.add(m[1]);
const pending = [...referenced].filter((f) => f.endsWith('.js'));
while (pending.length > 0) {
  const js = await readFile(join(dist, pending.pop()), 'utf8');
  for (const m of js.matchAll(/\bfrom\s*['"]\.\/([^'"]+\.js)['"]/g)) {
    if (!referenced.has(m[1])) {
      referenced.add(m[1]);
      pending.push(m[1]);
    }
  }
}
const firstLoad = files.filter((f) => referenced.has(f.file) && !f.file.endsWith('.png') && !f.file.endsWith('.webmanifest'));
const sum = (list, key) => list.reduce((a, f) => a + f[key], 0);
console.log(JSON.stringify({
  files,
  first_load: { files: firstLoad.map((f) => f.file), raw: sum(firstLoad, 'raw'), gzip: sum(firstLoad, 'gzip') },
  total: { raw: sum(files, 'raw'), gzip: sum(files, 'gzip') },
}, null, 2));
