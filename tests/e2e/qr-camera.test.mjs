// The camera scanner and screen capture in real Chromium. The camera is Chromium's fake capture
// device playing a Y4M video written here from the QR fixture (--use-file-for-fake-video-capture);
// the permission prompt is auto-accepted (--use-fake-ui-for-media-stream). Headless Chromium's
// getDisplayMedia works with the same flags but always shows its own generated test pattern, so
// a screen that holds a QR code is simulated by a canvas stream.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, REPO_ROOT, startHarness } from './lib/harness.mjs';
import { axeLedger, byTestId, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

const M365_PNG = join(REPO_ROOT, 'tests/fixtures/qr/m365.png');
const M365_URI =
  'otpauth://totp/Some+Company%3ame%40somecompany.net?secret=abcdefghijklmnop&issuer=Microsoft';
const VIDEO_FILE = join(ARTIFACTS_DIR, 'tmp', 'fake-camera.y4m');
const FRAME = { width: 1280, height: 720 };

let h;
before(async () => {
  await mkdir(join(ARTIFACTS_DIR, 'tmp'), { recursive: true });
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

/** The fixture's pixels as 8-bit luma, decoded by the browser. */
async function fixtureLuma(page, file) {
  const png = [...(await readFile(file))];
  return page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const luma = [];
    for (let i = 0; i < rgba.length; i += 4) {
      luma.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
    }
    return { width: bitmap.width, height: bitmap.height, luma };
  }, png);
}

/**
 * Writes a Y4M video (YUV 4:2:0, 10 fps, 2 frames; Chromium loops it): a grey desk with a few
 * darker objects and, if `qr` is given, the code enlarged 2× (nearest) on it.
 */
async function writeCameraVideo(qr) {
  const { width, height } = FRAME;
  const luma = Buffer.alloc(width * height, 170);
  const box = (x0, y0, w, h, value) => {
    for (let y = y0; y < y0 + h; y += 1) luma.fill(value, y * width + x0, y * width + x0 + w);
  };
  box(60, 80, 260, 140, 90); // a phone
  box(980, 420, 240, 220, 120); // a notebook
  box(100, 520, 400, 30, 60); // a pen
  if (qr) {
    const scale = 2;
    const left = Math.floor((width - qr.width * scale) / 2);
    const top = Math.floor((height - qr.height * scale) / 2);
    for (let y = 0; y < qr.height * scale; y += 1) {
      for (let x = 0; x < qr.width * scale; x += 1) {
        luma[(top + y) * width + left + x] = qr.luma[Math.floor(y / scale) * qr.width + Math.floor(x / scale)];
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // grey: U = V = 128
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  await writeFile(VIDEO_FILE, Buffer.concat([header, frame, frame]));
}

/**
 * Records every camera stream the page opens (to check their tracks are stopped), the
 * constraints asked for, and how many frames are with the QR worker at once.
 */
function instrumentMedia() {
  window.__kiln = { streams: [], constraints: [], inFlight: 0, maxInFlight: 0, jobs: 0 };
  const media = navigator.mediaDevices;
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    window.__kiln.constraints.push(constraints);
    const stream = await getUserMedia(constraints);
    window.__kiln.streams.push(stream);
    return stream;
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (event.data && event.data.id !== undefined) window.__kiln.inFlight -= 1;
      });
    }
    postMessage(message, transfer) {
      const job = message && message.id !== undefined;
      if (job) {
        window.__kiln.jobs += 1;
        window.__kiln.inFlight += 1;
        window.__kiln.maxInFlight = Math.max(window.__kiln.maxInFlight, window.__kiln.inFlight);
      }
      const result = super.postMessage(message, transfer);
      // Transferred, not copied: the page's buffer is detached (empty) once posted.
      if (job && message.pixels.byteLength !== 0) window.__kiln.copied = (window.__kiln.copied ?? 0) + 1;
      return result;
    }
  };
}

const trackStates = (page) =>
  page.evaluate(() => window.__kiln.streams.flatMap((s) => s.getTracks().map((t) => t.readyState)));

async function openInstrumented(init, { ignore = [] } = {}) {
  const opened = await h.openApp('', {
    ignore,
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (page) => {
      await page.addInitScript(instrumentMedia);
      if (init) await page.addInitScript(init.fn, init.arg);
    },
  });
  await waitForScreen(opened.page, 'secret');
  return opened;
}

test('camera: a preview with a frame guide, status and Stop; at most one frame at the worker; every track stops on Stop and on leaving the step', async (t) => {
  await writeCameraVideo(null);
  const { page, problems } = await openInstrumented();
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  const status = byTestId(page, 'camera-status');
  await page.waitForFunction(() => document.querySelector('[data-testid="camera-status"]')?.dataset.state === 'scanning');
  assert.match(await status.innerText(), /Looking for a QR code/);
  assert.equal(await status.getAttribute('role'), 'status');
  const video = page.locator('[data-testid="camera"] video');
  await page.waitForFunction(() => document.querySelector('[data-testid="camera"] video')?.videoWidth > 0);
  assert.deepEqual(await video.evaluate((v) => [v.videoWidth, v.videoHeight, v.paused]), [1280, 720, false]);
  assert.ok(await page.locator('.camera-guide').isVisible(), 'the frame guide is visible');
  const asked = await page.evaluate(() => window.__kiln.constraints[0]);
  assert.deepEqual(asked.video.facingMode, { ideal: 'environment' });
  assert.equal(asked.audio, false);

  // Let it decode empty frames for a while: one at a time, never a queue.
  await page.waitForTimeout(3_000);
  const { jobs, maxInFlight, copied } = await page.evaluate(() => window.__kiln);
  t.diagnostic(`frames decoded in 3 s: ${jobs}, most at the worker at once: ${maxInFlight}`);
  assert.ok(jobs >= 3, `the worker should have had several frames, got ${jobs}`);
  assert.equal(maxInFlight, 1);
  assert.equal(copied, undefined, 'every frame buffer was transferred, none copied');
  const playsInline = await video.evaluate((v) => [v.hasAttribute('playsinline'), v.muted, v.autoplay]);
  assert.deepEqual(playsInline, [true, true, true], 'inline, muted autoplay (needed on iPhones)');

  const axe = axeLedger(page);
  await axe.check('camera scanning');
  await shootBothWidths(page, 'qr-camera-scanning');

  await page.getByRole('button', { name: 'Stop camera' }).click();
  await byTestId(page, 'camera').waitFor({ state: 'detached' });
  assert.deepEqual(await trackStates(page), ['ended']);

  // Open it again, then leave the step without Stop: the tracks stop when the scanner unmounts.
  // Leave once the worker has answered a frame again: leaving while the worker's own script is still
  // loading cancels that request, which the problem ledger would count.
  const jobsBefore = await page.evaluate(() => window.__kiln.jobs);
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await page.waitForFunction(() => window.__kiln.streams.length === 2 && document.querySelector('[data-testid="camera-status"]')?.dataset.state === 'scanning');
  await page.waitForFunction((before) => window.__kiln.jobs > before && window.__kiln.inFlight === 0, jobsBefore);
  await page.getByRole('button', { name: 'Identify', exact: true }).click();
  await byTestId(page, 'camera').waitFor({ state: 'detached' });
  assert.deepEqual(await trackStates(page), ['ended', 'ended']);
  problems.assertNone();
  axe.assertClean();
});

test('camera: pointing it at the Microsoft 365 QR code reads the account, then the camera stops', async () => {
  const { page: scratch } = await h.openApp('');
  await writeCameraVideo(await fixtureLuma(scratch, M365_PNG));
  await scratch.close();
  const { page, problems } = await openInstrumented();
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'totp');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'me@somecompany.net');
  assert.deepEqual(await trackStates(page), ['ended']);
  problems.assertNone();
});

test('camera: where the browser has BarcodeDetector, frames go to it and the QR worker is never started', async () => {
  const fakeDetector = {
    // A stand-in for Chrome's native detector (Android, macOS): it must be handed the live
    // <video>, and "reads" the Microsoft 365 code on the third frame.
    fn: (uri) => {
      let calls = 0;
      window.BarcodeDetector = class {
        static async getSupportedFormats() {
          return ['aztec', 'qr_code'];
        }
        constructor(options) {
          window.__kiln.detectorFormats = options.formats;
        }
        async detect(source) {
          if (!(source instanceof HTMLVideoElement) || source.videoWidth === 0) throw new TypeError('no frame');
          calls += 1;
          return calls < 3 ? [] : [{ format: 'qr_code', rawValue: uri }];
        }
      };
    },
    arg: M365_URI,
  };
  await writeCameraVideo(null);
  const { page, problems } = await openInstrumented(fakeDetector);
  const workerRequests = [];
  page.on('request', (r) => r.url().includes('kiln-qr-worker') && workerRequests.push(r.url()));
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  assert.deepEqual(await page.evaluate(() => window.__kiln.detectorFormats), ['qr_code']);
  assert.deepEqual(workerRequests, []);
  assert.deepEqual(await trackStates(page), ['ended']);
  problems.assertNone();
});

test('camera: refused permission, no camera and a busy camera each get a plain message; Try again restarts it', async () => {
  const cases = [
    { name: 'NotAllowedError', words: /not allowed to use the camera.*Allow the camera for this site/s },
    { name: 'NotFoundError', words: /No camera was found/ },
    { name: 'NotReadableError', words: /another app or browser tab may be using it/ },
  ];
  const axe = axeLedger;
  for (const { name, words } of cases) {
    // The first request fails with `name`; later ones reach the (fake) camera.
    const refuse = {
      fn: (errorName) => {
        const media = navigator.mediaDevices;
        const instrumented = media.getUserMedia;
        let refused = false;
        media.getUserMedia = async (constraints) => {
          if (refused) return instrumented(constraints);
          refused = true;
          throw new DOMException('refused by the test', errorName);
        };
      },
      arg: name,
    };
    // Stopping the camera releases the idle QR worker; when that happens before the worker's
    // script has finished loading (a slow machine), the browser aborts that load. Expected.
    const workerLoadAborted = /kiln-qr-worker[^ ]*\.(js|wasm) \(net::ERR_ABORTED\)/;
    const { page, problems } = await openInstrumented(refuse, { ignore: [workerLoadAborted] });
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    const error = byTestId(page, 'camera-error');
    await error.waitFor();
    assert.match(await error.innerText(), words, name);
    assert.equal(await byTestId(page, 'camera-status').getAttribute('data-state'), 'failed');
    assert.equal(await page.locator('.camera-view').isVisible(), false, 'no empty preview');
    if (name === 'NotAllowedError') {
      const ledger = axe(page);
      await ledger.check('camera denied');
      await shootBothWidths(page, 'qr-camera-denied');
      ledger.assertClean();
    }
    if (name === 'NotReadableError') {
      // The other app let go of the camera: Try again starts it without leaving the panel.
      await byTestId(page, 'camera-retry').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="camera-status"]')?.dataset.state === 'scanning');
      assert.equal(await byTestId(page, 'camera-error').count(), 0);
      assert.ok(await page.locator('.camera-view').isVisible());
      await page.getByRole('button', { name: 'Stop camera' }).click();
      await byTestId(page, 'camera').waitFor({ state: 'detached' });
      assert.deepEqual(await trackStates(page), ['ended']);
    } else {
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await byTestId(page, 'camera').waitFor({ state: 'detached' });
    }
    problems.assertNone(name);
  }
});

test('camera: a camera that stops during the scan (unplugged) is reported, not left frozen', async () => {
  await writeCameraVideo(null);
  const { page, problems } = await openInstrumented();
  await page.getByRole('button', { name: 'Scan with the camera' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="camera-status"]')?.dataset.state === 'scanning');
  // What the browser does when the device goes away: the track ends.
  await page.evaluate(() => window.__kiln.streams[0].getTracks().forEach((track) => track.stop()));
  const error = byTestId(page, 'camera-error');
  await error.waitFor();
  assert.match(await error.innerText(), /The camera stopped: it was unplugged/);
  assert.ok(await byTestId(page, 'camera-retry').isVisible());
  problems.assertNone();
});

test('screen capture: Chromium’s fake screen is captured, decoded, reported as holding no QR code, and the share stops', async () => {
  const { page, problems } = await openInstrumented({
    fn: () => {
      const media = navigator.mediaDevices;
      const getDisplayMedia = media.getDisplayMedia.bind(media);
      media.getDisplayMedia = async (constraints) => {
        const stream = await getDisplayMedia(constraints);
        window.__kiln.streams.push(stream);
        return stream;
      };
    },
  });
  await page.getByRole('button', { name: 'Find it on the screen' }).click();
  const error = page.locator('main[data-screen="secret"] .notice-error');
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.innerText(), /No QR code was found on the shared screen/);
  assert.deepEqual(await trackStates(page), ['ended']);
  assert.ok((await page.evaluate(() => window.__kiln.jobs)) >= 1, 'the screen was decoded');
  problems.assertNone();
});

test('screen capture: a shared screen showing the Microsoft 365 QR code (a canvas stream) reads the account', async () => {
  const png = [...(await readFile(M365_PNG))];
  const { page, problems } = await openInstrumented({
    fn: (bytes) => {
      navigator.mediaDevices.getDisplayMedia = async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 1920;
        canvas.height = 1080;
        const ctx = canvas.getContext('2d');
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)]));
        const paint = () => {
          ctx.fillStyle = '#e9edf2';
          ctx.fillRect(0, 0, 1920, 1080);
          ctx.fillStyle = '#27313d';
          ctx.fillRect(0, 0, 300, 1080);
          ctx.drawImage(bitmap, 1200, 500);
        };
        paint();
        const stream = canvas.captureStream(10);
        setInterval(paint, 100);
        window.__kiln.streams.push(stream);
        return stream;
      };
    },
    arg: png,
  });
  await page.getByRole('button', { name: 'Find it on the screen' }).click();
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'me@somecompany.net');
  assert.deepEqual(await trackStates(page), ['ended']);
  problems.assertNone();
});

test('screen capture: closing the screen picker is not an error', async () => {
  const { page, problems } = await openInstrumented({
    fn: () => {
      navigator.mediaDevices.getDisplayMedia = async () => {
        throw new DOMException('Permission denied', 'NotAllowedError');
      };
    },
  });
  await page.getByRole('button', { name: 'Find it on the screen' }).click();
  await page.waitForTimeout(500);
  assert.equal(await page.locator('main[data-screen="secret"] .notice-error').count(), 0);
  assert.equal(await page.locator('.working').count(), 0, 'the "Reading…" status is gone');
  problems.assertNone();
});
