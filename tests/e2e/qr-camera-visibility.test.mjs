// The camera scanner and page visibility, in real Chromium with its fake capture device playing
// a plain Y4M video written here (--use-file-for-fake-video-capture; its own file, so this runs
// beside qr-camera.test.mjs). Headless pages are never really hidden, so the test switches
// document.visibilityState / document.hidden and fires visibilitychange as a tab switch does.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, startHarness } from './lib/harness.mjs';
import { axeLedger, byTestId, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

const VIDEO_FILE = join(ARTIFACTS_DIR, 'tmp', 'fake-camera-visibility.y4m');

/** A grey 640×360 Y4M video, two frames (Chromium loops it). */
async function writeGreyVideo() {
  const [width, height] = [640, 360];
  const frame = Buffer.concat([
    Buffer.from('FRAME\n'),
    Buffer.alloc(width * height, 150),
    Buffer.alloc((width / 2) * (height / 2) * 2, 128),
  ]);
  await writeFile(VIDEO_FILE, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

let h;
before(async () => {
  await mkdir(join(ARTIFACTS_DIR, 'tmp'), { recursive: true });
  await writeGreyVideo();
  h = await startHarness({
    launch: {
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${VIDEO_FILE}`,
      ],
    },
  });
});
after(() => h?.close());

/** Records every camera stream, and lets the test hide and show the page. */
function instrument() {
  window.__streams = [];
  const media = navigator.mediaDevices;
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.__streams.push(stream);
    return stream;
  };
  window.__setHidden = (hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  };
}

const trackStates = (page) => page.evaluate(() => window.__streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));
const cameraState = (page) => byTestId(page, 'camera-status').getAttribute('data-state');
const waitForCameraState = (page, state) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="camera-status"]')?.dataset.state === s, state, { timeout: 20_000 });

test('camera: hiding the page turns it off; visible again it waits for "Resume camera", which starts it again', async () => {
  // Stopping the camera releases the idle QR worker; if that happens before the worker's script
  // has loaded, the browser aborts that load. Expected.
  const workerLoadAborted = /kiln-qr-worker[^ ]*\.(js|wasm) \(net::ERR_ABORTED\)/;
  const { page, problems } = await h.openApp('', {
    ignore: [workerLoadAborted],
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => p.addInitScript(instrument),
  });
  await waitForScreen(page, 'secret');
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await waitForCameraState(page, 'scanning');
  assert.deepEqual(await trackStates(page), ['live']);

  await page.evaluate(() => window.__setHidden(true));
  await waitForCameraState(page, 'paused');
  assert.deepEqual(await trackStates(page), ['ended'], 'the camera is off while the page is hidden');

  await page.evaluate(() => window.__setHidden(false));
  await page.waitForTimeout(1_500); // a silent restart, if any, would have happened by now
  assert.equal(await cameraState(page), 'paused');
  assert.deepEqual(await trackStates(page), ['ended'], 'no new camera stream without the user asking');
  assert.match(await byTestId(page, 'camera-status').innerText(), /turned off while this page was hidden/);
  const resume = byTestId(page, 'camera-resume');
  assert.equal((await resume.innerText()).trim(), 'Resume camera');
  const axe = axeLedger(page);
  await axe.check('camera paused');
  await shootBothWidths(page, 'qr-camera-paused');

  await resume.click();
  await waitForCameraState(page, 'scanning');
  assert.deepEqual(await trackStates(page), ['ended', 'live']);
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await byTestId(page, 'camera').waitFor({ state: 'detached' });
  assert.deepEqual(await trackStates(page), ['ended', 'ended']);
  problems.assertNone();
  axe.assertClean();
});
