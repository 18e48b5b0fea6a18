// The app's camera loop in Chromium, with Chromium's fake camera playing a Y4M clip made from
// corpus images (--use-file-for-fake-video-capture). A benchmark, not a test: it measures
//   * frames per second the QR worker decodes while the camera sees an empty scene (no_qr
//     camera frames from the corpus),
//   * time from pressing "Scan with the camera" to the review screen when the clip starts with
//     1 s of empty frames and then shows a frame_720 code (the code is on screen from 1 s after
//     the camera starts; camera start-up counts too),
//   * long tasks (> 50 ms) on the main thread from pressing Scan on (PerformanceObserver
//     "longtask"); Scan is pressed 1 s after the first step appears, as a person would at the
//     earliest. Long tasks of the page's own start-up are counted apart.
//
//   (cd tests/e2e && node ../../bench/qr/camera-loop.mjs)  → JSON on stdout and in
//   bench/out/qr/camera-loop.json
//
// Needs a release build in dist/ (bash scripts/build-web.sh) and the corpus
// (bench/qr/gen_corpus.py). SECONDS_EMPTY (default 6) = how long the empty-scene run lasts;
// CODES (default 6) = how many frame_720 images enter the frame.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, startHarness } from '../../tests/e2e/lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const corpus = join(root, 'bench', 'out', 'qr', 'corpus');
const outDir = join(root, 'bench', 'out', 'qr');
const videoFile = join(outDir, 'camera-loop.y4m');
const seconds = Number(process.env.SECONDS_EMPTY ?? 6);
const FPS = 10;
/** Time between the first step appearing and pressing Scan (see openScanner). */
const READING_MS = 1000;
const [W, H] = [1280, 720];

/** The corpus image as 8-bit luma (1280×720), decoded by the browser like the app would. */
async function lumaOf(page, file) {
  const bytes = [...(await readFile(join(corpus, file)))];
  const luma = await page.evaluate(async (data) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(data)]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const out = new Array(rgba.length / 4);
    for (let i = 0; i < out.length; i += 1) {
      out[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    }
    return out;
  }, bytes);
  return Buffer.from(luma);
}

/** A Y4M clip (4:2:0, grey chroma, FPS frames a second) of the given luma frames; it loops. */
async function writeClip(frames) {
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F${FPS}:1 Ip A1:1 C420jpeg\n`);
  const parts = [header];
  for (const luma of frames) parts.push(Buffer.from('FRAME\n'), luma, chroma);
  await writeFile(videoFile, Buffer.concat(parts));
}

/** Counts QR worker jobs and long tasks in the page. */
function instrument() {
  window.__bench = { jobs: 0, replies: 0, longTasks: [] };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (event.data && event.data.id !== undefined) window.__bench.replies += 1;
      });
    }
    postMessage(message, transfer) {
      if (message && message.id !== undefined) window.__bench.jobs += 1;
      return super.postMessage(message, transfer);
    }
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__bench.longTasks.push({ at: Math.round(entry.startTime), ms: Math.round(entry.duration) });
    }
  }).observe({ type: 'longtask', buffered: true });
}

async function openScanner(h) {
  const { page } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (p) => p.addInitScript(instrument),
  });
  await page.locator('main[data-screen="secret"]').waitFor({ state: 'attached', timeout: 30_000 });
  // A person reads the step before pressing Scan: at the earliest about a second. The app uses
  // that time to fetch the scanner's chunk (src/on_demand.rs, preload_likely_next), so opening
  // the camera is then only rendering it.
  await page.waitForTimeout(READING_MS);
  return page;
}

await mkdir(outDir, { recursive: true });
const manifest = JSON.parse(await readFile(join(corpus, 'manifest.json'), 'utf8')).images;
const empties = manifest.filter((e) => e.damage === 'no_qr' && e.width === W && e.height === H).map((e) => e.file);
const codes = manifest
  .filter((e) => e.damage === 'frame_720' && e.width === W)
  .slice(0, Number(process.env.CODES ?? 6))
  .map((e) => e.file);

const h = await startHarness({
  launch: {
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${videoFile}`],
  },
});
const scratch = (await h.openApp('')).page;
const emptyLuma = [];
for (const file of empties) emptyLuma.push(await lumaOf(scratch, file));

// 1. Empty scene: the no_qr camera frames, one after another, looping.
await writeClip(emptyLuma);
const results = { what: 'kiln-qr camera loop in Chromium (fake camera, Y4M from corpus frames)', fps_clip: FPS };
{
  const page = await openScanner(h);
  const pressedAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="camera-status"]')?.dataset.state === 'scanning');
  await page.waitForTimeout(1000); // worker start-up
  const start = await page.evaluate(() => ({ replies: window.__bench.replies, t: performance.now() }));
  await page.waitForTimeout(seconds * 1000);
  const end = await page.evaluate(() => ({ replies: window.__bench.replies, t: performance.now(), long: window.__bench.longTasks }));
  // Long tasks from pressing Scan on; the page's own start-up before that is counted apart.
  const long = end.long.filter((task) => task.at >= pressedAt);
  results.empty_scene = {
    seconds,
    frames_decoded: end.replies - start.replies,
    frames_per_second: Math.round(((end.replies - start.replies) * 10000) / (end.t - start.t)) / 10,
    long_tasks_over_50ms: long.length,
    long_tasks: long.map((task) => ({ ms_after_scan_press: Math.round(task.at - pressedAt), ms: task.ms })),
    long_tasks_while_loading: end.long.length - long.length,
  };
  await page.close();
}

// 2. A code enters the frame: EMPTY empty frames, then the code's frame for the rest.
const EMPTY = 10; // 1 s of empty scene at FPS
results.code_enters = [];
for (const file of codes) {
  const codeLuma = await lumaOf(scratch, file);
  await writeClip([...emptyLuma.slice(0, EMPTY), ...Array(2 * FPS).fill(codeLuma)]);
  const page = await openScanner(h);
  const t0 = Date.now();
  const pressedAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  let ms = null;
  try {
    await page.locator('main[data-screen="review"]').waitFor({ state: 'attached', timeout: 20_000 });
    ms = Date.now() - t0;
  } catch {
    ms = null;
  }
  // Let the review screen settle, so a long task it causes is counted too.
  await page.waitForTimeout(500);
  // Long tasks from pressing Scan on (the page's own load before that is not the camera's).
  const all = await page.evaluate(() => window.__bench.longTasks);
  const long = all.filter((task) => task.at >= pressedAt);
  // The clip shows the code from EMPTY / FPS seconds after the camera starts.
  results.code_enters.push({
    file,
    ms_from_scan_press: ms,
    code_shown_after_ms: (EMPTY / FPS) * 1000,
    long_tasks_over_50ms: long.length,
    long_tasks: long.map((task) => ({ ms_after_scan_press: Math.round(task.at - pressedAt), ms: task.ms })),
    // The page's own start-up, before Scan was pressed (not the camera's).
    long_tasks_while_loading: all.length - long.length,
  });
  await page.close();
}
await h.close();
const found = results.code_enters.filter((r) => r.ms_from_scan_press !== null).map((r) => r.ms_from_scan_press).sort((a, b) => a - b);
results.code_enters_median_ms = found.length ? found[Math.floor((found.length - 1) / 2)] : null;
results.code_enters_read = `${found.length}/${results.code_enters.length}`;
await writeFile(join(outDir, 'camera-loop.json'), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
