#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml). Runs on every build, release and `trunk serve`, in the
// staging directory before it becomes dist/. It makes the page self-contained and strict:
//
// 0. Splits the app's wasm into what the first load needs and chunks loaded on demand
//    (scripts/split-wasm.mjs, issue #19).
// 1. Makes sure no inline script is left (step 0 replaced trunk's inline module loader with the
//    bundle; any other is moved into its own content-hashed file), so the Content-Security-Policy
//    needs no hashes and no 'unsafe-inline' (the same policy then works as a meta tag and as a
//    server header).
// 1b. Joins the stylesheets into one file, `app-<hash>.css` (one request instead of three on
//    the first load; issue #19), in their order, so the cascade is unchanged.
// 2. Gives each on-demand worker's files (glue, wasm, start script; ON_DEMAND_WORKERS: the QR
//    reader, the export encryption, the phone-app QR drawing) content-hashed names like trunk
//    gives the main bundle, and names the start script in <meta name="<worker>"> for the app
//    (src/platform/{qr,seal,qr_encode}/client.rs): a page only ever starts its own build's workers.
// 3. Inserts the Content-Security-Policy <meta> as the first element of <head>.
// 4. Writes sw.js: a service worker that precaches exactly this build's files, each with its
//    SHA-256 (checked before it is cached), under a cache named after their combined hash, so a
//    deployed update never mixes old and new files and a half-copied deployment is never installed.
//
// Usage outside trunk: node scripts/post-build.mjs <dir>
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitAppWasm } from './split-wasm.mjs';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  // The Kiln bridge (`kiln bridge`, src/platform/bridge/): its WebSocket and its GET /hello on
  // this computer only, whatever port it was started on. Nothing else outside this origin.
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* http://127.0.0.1:* http://localhost:*",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error('post-build: no directory (TRUNK_STAGING_DIR or an argument)');
  process.exit(2);
}

/**
 * Workers the app starts when first needed, each a trunk `data-type="worker"` bin (index.html)
 * with a start script `<name>-loader.js` that loads `./<name>.js` and `./<name>_bg.wasm`. The app
 * finds the hashed start script in `<meta name="<name>">`. Adding a worker is one entry here.
 */
const ON_DEMAND_WORKERS = ['kiln-qr-worker', 'kiln-seal-worker', 'kiln-qr-encode-worker'];

const sha = (data, n = 16) => createHash('sha256').update(data).digest('hex').slice(0, n);
/** Subresource Integrity form of a file's SHA-256 (what the service worker compares). */
const integrity = (data) => `sha256-${createHash('sha256').update(data).digest('base64')}`;
const exists = (path) => stat(path).then(() => true, () => false);

async function files(root, at = root) {
  const out = [];
  for (const entry of await readdir(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) out.push(...(await files(root, path)));
    else out.push(relative(root, path).split(sep).join('/'));
  }
  return out.sort();
}

const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');
// Development builds (trunk serve) are split too, without wasm-opt.
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';

// 0. Split the app's wasm.
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.TRUNK_SOURCE_DIR ?? fileURLToPath(new URL('..', import.meta.url)), 'target');
html = await splitAppWasm(dir, html, { profile: release ? 'release' : 'debug', targetDir });

// 1. External loader.
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (match) {
  const code = match[1].trim() + '\n';
  const name = `boot-${sha(code)}.js`;
  await writeFile(join(dir, name), code);
  html = html.replace(inline, `<script type="module" src="./${name}"></script>`);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) {
  console.error('post-build: index.html still has an inline script; the CSP would block it');
  process.exit(1);
}

// 1b. One stylesheet. (A finished build has one already and is left alone.)
const sheets = [...html.matchAll(/\s*<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>/g)];
if (sheets.length > 1) {
  const text = (await Promise.all(sheets.map((m) => readFile(join(dir, m[1]), 'utf8')))).join('\n');
  const name = `app-${sha(text)}.css`;
  for (const m of sheets) await rm(join(dir, m[1]));
  await writeFile(join(dir, name), text);
  const sri = `sha384-${createHash('sha384').update(text).digest('base64')}`;
  html = html.replace(sheets[0][0], () => `\n    <link rel="stylesheet" href="./${name}" integrity="${sri}"/>`);
  for (const m of sheets.slice(1)) html = html.replace(m[0], '');
}

// 2. Content-hashed files for each on-demand worker. Skipped for a worker whose files are hashed
// already (post-build run again on a finished build, as the update tests do).
for (const worker of ON_DEMAND_WORKERS) {
  const names = { glue: `${worker}.js`, wasm: `${worker}_bg.wasm`, loader: `${worker}-loader.js` };
  if (!(await exists(join(dir, names.glue)))) continue;
  const glue = await readFile(join(dir, names.glue));
  const stem = `${worker}-${sha(Buffer.concat([glue, await readFile(join(dir, names.wasm))]))}`;
  const hashed = { glue: `${stem}.js`, wasm: `${stem}_bg.wasm` };
  await rename(join(dir, names.glue), join(dir, hashed.glue));
  await rename(join(dir, names.wasm), join(dir, hashed.wasm));
  const loader = (await readFile(join(dir, names.loader), 'utf8'))
    .replaceAll(`./${names.glue}`, `./${hashed.glue}`)
    .replaceAll(`./${names.wasm}`, `./${hashed.wasm}`);
  if (!loader.includes(hashed.glue) || !loader.includes(hashed.wasm)) {
    console.error(`post-build: ${names.loader} does not load ./${names.glue} and ./${names.wasm}; cannot rename them`);
    process.exit(1);
  }
  const loaderName = `${worker}-loader-${sha(loader)}.js`;
  await writeFile(join(dir, loaderName), loader);
  await rm(join(dir, names.loader));
  html = html.replace(new RegExp(`\\s*<meta name="${worker}"[^>]*>`, 'g'), '');
  html = html.replace(/\s*<\/head>/, `\n    <meta name="${worker}" content="./${loaderName}" />\n  </head>`);
}

// 3. CSP first in <head> (a meta CSP only applies to what comes after it).
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace(/<head>/, `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
await writeFile(indexPath, html);

// 4. Service worker with this build's file list and each file's SHA-256.
const all = (await files(dir)).filter((f) => f !== 'sw.js');
// Development builds (trunk serve) get a worker that removes itself and its caches, so edits
// are never hidden behind a cache.
const templateName = release ? './sw.template.js' : './sw.dev.js';
const template = await readFile(new URL(templateName, import.meta.url), 'utf8');
// The version covers the worker's own code too: a new worker never shares a cache name with the
// one running (a failed install deletes its cache).
const hash = createHash('sha256').update(template);
const precache = [{ url: './', integrity: integrity(await readFile(indexPath)) }];
for (const f of all) {
  const data = await readFile(join(dir, f));
  hash.update(f);
  hash.update(data);
  precache.push({ url: `./${f}`, integrity: integrity(data) });
}
const version = hash.digest('hex').slice(0, 16);
const sw = template
  .replace('__KILN_VERSION__', version)
  .replace('__KILN_PRECACHE__', `[\n${precache.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]`);
await writeFile(join(dir, 'sw.js'), sw);
const size = (await stat(join(dir, 'sw.js'))).size;
console.log(`post-build: CSP set, no inline script, one stylesheet, sw.js ${size} B precaching ${precache.length} files (version ${version})`);
