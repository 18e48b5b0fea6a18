// Splits the app's wasm into the first-load module and chunks loaded on demand (issue #19).
// Called by scripts/post-build.mjs, before anything else, on trunk's staging directory.
//
// Trunk 0.21 cannot split, so it builds the app with the cargo feature `split` (index.html;
// build.rs then links with --emit-relocs) and no wasm-opt, and runs wasm-bindgen on the whole
// wasm. This step redoes the part after cargo from cargo's own output, the way cargo-leptos does:
//
// 1. `kiln-wasm-split` (tools/wasm-split, wasm_split_cli_support) cuts every `#[lazy]` function
//    (src/on_demand.rs) and what only it uses into `<split>.wasm` chunks, writes the main module
//    and `__wasm_split.js`, the link module that fetches and instantiates a chunk when asked.
// 2. wasm-bindgen on the main module (--keep-lld-exports: the chunks import its functions).
// 3. Release builds: wasm-opt -Oz (binaryen 132, as trunk would) on the main module and chunks.
// 4. One module for the page (esbuild, tests/e2e's node_modules): the app glue, the link module
//    and the start code (trunk's inline loader) bundled into one file, minified in release
//    builds. One request instead of three (loader, glue, link module), and half the JavaScript
//    to parse: the first load's interactive time (issue #19, bench/load.mjs).
// 5. One content hash over all of it names every file (kiln-web-<h>.js, kiln-web-<h>_bg.wasm,
//    kiln-split-<name>-<h>.wasm: the `-<hex>` names self-hosting caches forever). Trunk's own JS
//    and wasm are replaced, and index.html loads the bundle as its module script.
//
// A directory without trunk's inline loader is split already (post-build run again) and is left
// alone.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sha = (data, n = 16) => createHash('sha256').update(data).digest('hex').slice(0, n);

/** The link module's name as the splitter writes it and the main wasm imports it. */
const LINK = '__wasm_split.js';
/** Trunk's inline module loader (`import init … await init(…)`), replaced by the bundle. */
const INLINE_LOADER = /<script type="module">[\s\S]*?<\/script>/;

/**
 * Splits the app in `dir` (trunk's staging directory), given index.html's text; returns the new
 * index.html text. `profile` is trunk's (`release` or `debug`), `targetDir` cargo's.
 */
export async function splitAppWasm(dir, html, { profile, targetDir }) {
  const staged = await readdir(dir);
  if (!INLINE_LOADER.test(html)) return html;
  const oldJs = staged.find((f) => /^kiln-web-[0-9a-f]+\.js$/.test(f));
  const oldWasm = staged.find((f) => /^kiln-web-[0-9a-f]+_bg\.wasm$/.test(f));
  if (!oldJs || !oldWasm) throw new Error(`no kiln-web JS and wasm from trunk in ${dir}`);

  const input = join(targetDir, 'wasm32-unknown-unknown', profile, 'kiln-web.wasm');
  const work = join(targetDir, 'kiln-split', profile);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'bindgen'), { recursive: true });

  // 1. Split.
  await run('kiln-wasm-split', [input, work, './kiln-web.js']);
  const chunks = (await readdir(work)).filter((f) => f.endsWith('.wasm') && f !== 'main.wasm').sort();

  // 2. wasm-bindgen on the main module, as trunk calls it plus what the chunks need.
  await run('wasm-bindgen', [
    '--target=web', '--no-typescript', '--keep-lld-exports', '--no-demangle',
    `--out-dir=${join(work, 'bindgen')}`, '--out-name=kiln-web', join(work, 'main.wasm'),
  ]);
  // (Inline-JS snippets, if any, end up inside the bundle of step 4.)

  // 3. wasm-opt.
  const wasmFiles = [join(work, 'bindgen', 'kiln-web_bg.wasm'), ...chunks.map((c) => join(work, c))];
  if (profile === 'release') {
    await Promise.all(wasmFiles.map((f) => run('wasm-opt', ['-Oz', f, `--output=${f}`])));
  }

  // 4. One module: glue + link module + start code, bundled.
  const glue = await readFile(join(work, 'bindgen', 'kiln-web.js'), 'utf8');
  const wasm = await readFile(wasmFiles[0]);
  const chunkBytes = await Promise.all(chunks.map((c) => readFile(join(work, c))));
  // Names from one hash over every piece, and over how they are bundled: a file under a name
  // served as immutable must never change its bytes.
  const esbuildArgs = ['--bundle', '--format=esm', '--log-level=warning', ...(profile === 'release' ? ['--minify'] : []),
    // wasm-bindgen imports the link module once per import group, under the same key: harmless.
    '--log-override:duplicate-object-key=silent'];
  const esbuildVersion = (await run('esbuild', ['--version'])).stdout.trim();
  const startCode = (wasmName) => [
    // The page loads this module `async`: it may run before the parser has reached <body>,
    // where the app mounts (rare: the page is tiny), so then it waits for it.
    `if (!document.body) await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));`,
    `const kilnExports = await __wbg_init({ module_or_path: new URL('./${wasmName}', import.meta.url) });`,
    `dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: kilnExports } }));`,
    '',
  ].join('\n');
  // V8's explicit compile hint (Chrome 136+): compile every function of this file eagerly, on
  // the background thread that streams it in, rather than each one lazily on the main thread
  // at its first call. Nearly all of the glue runs during start-up. Issue #19: 15–20 ms sooner
  // interactive at 4× CPU throttling in 30-run A/Bs, no change unthrottled.
  const compileHint = '//# allFunctionsCalledOnLoad\n';
  const hash = createHash('sha256');
  hash.update(`${compileHint}esbuild ${esbuildVersion} ${esbuildArgs.join(' ')}\n${startCode('')}`);
  for (const piece of [glue, wasm, await readFile(join(work, LINK)), ...chunkBytes]) hash.update(piece);
  const h = hash.digest('hex').slice(0, 16);
  const names = { js: `kiln-web-${h}.js`, wasm: `kiln-web-${h}_bg.wasm` };
  // `split_batch_screen_<macro hash>.wasm` → `kiln-split-batch_screen-<h>.wasm`, `chunk_4.wasm` → `kiln-split-chunk_4-<h>.wasm`.
  const chunkName = (c) => `kiln-split-${c.replace(/\.wasm$/, '').replace(/^split_/, '').replace(/_\d{6,}$/, '').replace(/[^A-Za-z0-9_]/g, '_')}-${h}.wasm`;
  let link = await readFile(join(work, LINK), 'utf8');
  for (const c of chunks) link = replaceOnce(link, `./${c}`, `./${chunkName(c)}`, 'the link module');
  // Beside the glue, which imports it as `./${LINK}` (and which it imports back).
  await writeFile(join(work, 'bindgen', LINK), link);
  // What trunk's inline loader did (startCode), minus `window.wasmBindings` (nothing uses it). The
  // event carries the exports (the memory tests read the wasm memory through it).
  if (!/\basync function __wbg_init\b/.test(glue)) throw new Error('split-wasm: the glue has no __wbg_init to start with');
  await writeFile(join(work, 'bindgen', 'kiln-web.js'), `${glue}\n${startCode(names.wasm)}`);
  await run('esbuild', [join(work, 'bindgen', 'kiln-web.js'), ...esbuildArgs, `--outfile=${join(work, 'bundle.js')}`]);
  const bundle = Buffer.concat([Buffer.from(compileHint), await readFile(join(work, 'bundle.js'))]);

  await rm(join(dir, oldJs));
  await rm(join(dir, oldWasm));
  await writeFile(join(dir, names.js), bundle);
  await writeFile(join(dir, names.wasm), wasm);
  await Promise.all(chunks.map((c, i) => writeFile(join(dir, chunkName(c)), chunkBytes[i])));

  // index.html: the bundle is the page's module script, `async` so that it runs as soon as it is
  // in rather than after the stylesheet and an empty first paint (issue #19: 9–14 ms sooner
  // interactive, 17–38 ms at 4× throttling, in 20-run A/Bs); trunk's preload of its JS goes,
  // its preload of the wasm (which starts the download before the script runs) gets our name
  // and hash.
  html = html
    .replace(INLINE_LOADER, () => `<script type="module" async src="./${names.js}"></script>`)
    .replace(new RegExp(`<link rel="modulepreload" href="\\./${oldJs.replace(/\./g, '\\.')}"[^>]*>`), '')
    // Chromium ignores `integrity` on an `as="fetch"` preload and says so in the console on
    // every load (crbug.com/981419), so the preload goes without it.
    .replace(/(href="\.\/)kiln-web-[0-9a-f]+_bg\.wasm("[^>]*?) integrity="[^"]*"/, `$1${names.wasm}$2`);
  if (html.includes(oldJs) || html.includes(oldWasm)) throw new Error('split-wasm: index.html still names trunk\'s JS or wasm');
  console.log(`split-wasm: ${names.js} (${bundle.length} B), ${names.wasm}, ${chunks.length} chunks (${chunks.join(', ')})`);
  return html;
}

/** `text` with `from` replaced by `to`; fails loudly when `from` is not there. */
function replaceOnce(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`split-wasm: ${what} does not mention ${from}`);
  return text.replaceAll(from, to);
}
