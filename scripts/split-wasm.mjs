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
// 4. One content hash over all of it names every file (kiln-web-<h>.js, kiln-web-<h>_bg.wasm,
//    kiln-split-<h>.js, kiln-split-<name>-<h>.wasm: the `-<hex>` names self-hosting caches
//    forever). Trunk's own JS and wasm are replaced, and index.html's references and their
//    integrity hashes follow.
//
// A directory that holds a kiln-split-*.js is split already (post-build run again) and is left alone.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sha = (data, n = 16) => createHash('sha256').update(data).digest('hex').slice(0, n);
const sri384 = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;

/** The link module's name as the splitter writes it and the main wasm imports it. */
const LINK = '__wasm_split.js';

/**
 * Splits the app in `dir` (trunk's staging directory), given index.html's text; returns the new
 * index.html text. `profile` is trunk's (`release` or `debug`), `targetDir` cargo's.
 */
export async function splitAppWasm(dir, html, { profile, targetDir }) {
  const staged = await readdir(dir);
  if (staged.some((f) => /^kiln-split-[0-9a-f]{16}\.js$/.test(f))) return html;
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
  const snippets = join(work, 'bindgen', 'snippets');
  if ((await readdir(join(work, 'bindgen'))).includes('snippets')) await cp(snippets, join(dir, 'snippets'), { recursive: true });

  // 3. wasm-opt.
  const wasmFiles = [join(work, 'bindgen', 'kiln-web_bg.wasm'), ...chunks.map((c) => join(work, c))];
  if (profile === 'release') {
    await Promise.all(wasmFiles.map((f) => run('wasm-opt', ['-Oz', f, `--output=${f}`])));
  }

  // 4. Names from one hash over every piece.
  const pieces = {
    js: await readFile(join(work, 'bindgen', 'kiln-web.js'), 'utf8'),
    wasm: await readFile(wasmFiles[0]),
    link: await readFile(join(work, LINK), 'utf8'),
    chunks: await Promise.all(chunks.map((c) => readFile(join(work, c)))),
  };
  const hash = createHash('sha256');
  for (const piece of [pieces.js, pieces.wasm, pieces.link, ...pieces.chunks]) hash.update(piece);
  const h = hash.digest('hex').slice(0, 16);
  const names = { js: `kiln-web-${h}.js`, wasm: `kiln-web-${h}_bg.wasm`, link: `kiln-split-${h}.js` };
  // `split_batch_screen_<macro hash>.wasm` → `kiln-split-batch_screen-<h>.wasm`, `chunk_4.wasm` → `kiln-split-chunk_4-<h>.wasm`.
  const chunkName = (c) => `kiln-split-${c.replace(/\.wasm$/, '').replace(/^split_/, '').replace(/_\d{6,}$/, '').replace(/[^A-Za-z0-9_]/g, '_')}-${h}.wasm`;

  // Only the ES imports: the keys of the wasm's import object must stay the name inside the wasm.
  const js = replaceOnce(pieces.js, `from "./${LINK}"`, `from "./${names.link}"`, 'the app glue');
  let link = replaceOnce(pieces.link, './kiln-web.js', `./${names.js}`, 'the link module');
  for (const c of chunks) link = replaceOnce(link, `./${c}`, `./${chunkName(c)}`, 'the link module');

  await rm(join(dir, oldJs));
  await rm(join(dir, oldWasm));
  await writeFile(join(dir, names.js), js);
  await writeFile(join(dir, names.wasm), pieces.wasm);
  await writeFile(join(dir, names.link), link);
  await Promise.all(chunks.map((c, i) => writeFile(join(dir, chunkName(c)), pieces.chunks[i])));

  // index.html: trunk's preload links carry integrity hashes of its files; give them ours.
  html = html
    .replace(/(href="\.\/)kiln-web-[0-9a-f]+\.js("[^>]*integrity=")[^"]*"/, `$1${names.js}$2${sri384(js)}"`)
    .replace(/(href="\.\/)kiln-web-[0-9a-f]+_bg\.wasm("[^>]*integrity=")[^"]*"/, `$1${names.wasm}$2${sri384(pieces.wasm)}"`)
    .replaceAll(oldJs, names.js)
    .replaceAll(oldWasm, names.wasm);
  // The app's JS imports the link module: preload it with the JS rather than after it.
  const preload = html.match(new RegExp(`<link rel="modulepreload" href="\\./${names.js.replace(/\./g, '\\.')}"[^>]*>`))?.[0];
  if (!preload) throw new Error('split-wasm: index.html has no modulepreload of the app JS');
  const linkTag = `<link rel="modulepreload" href="./${names.link}" crossorigin="anonymous" integrity="${sri384(link)}">`;
  html = html.replace(preload, () => `${preload}${linkTag}`);
  console.log(`split-wasm: ${names.js}, ${names.wasm}, ${names.link}, ${chunks.length} chunks (${chunks.join(', ')})`);
  return html;
}

/** `text` with `from` replaced by `to`; fails loudly when `from` is not there. */
function replaceOnce(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`split-wasm: ${what} does not mention ${from}`);
  return text.replaceAll(from, to);
}
