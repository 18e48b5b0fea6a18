// QR images on step 1 in real Chromium: the file picker, drag and drop, paste, and pictures
// drawn in the page (a busy screenshot with a small code, a photo too big to decode as is).
// The expected payloads are the fixture README's (tests/fixtures/qr/README.md), which were
// checked against the generator, not against Kiln's decoder.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, startHarness } from './lib/harness.mjs';
import { axeLedger, byTestId, qrDecodeOutcome, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

const FIXTURES = join(REPO_ROOT, 'tests/fixtures/qr');
const fixture = (name) => join(FIXTURES, name);

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

async function openFresh() {
  const opened = await h.openApp('', { context: { viewport: { width: 1280, height: 900 } } });
  await waitForScreen(opened.page, 'secret');
  return opened;
}

/** Asserts the review shows the Microsoft 365 fixture's account. */
async function assertM365Account(page) {
  const outcome = await qrDecodeOutcome(page);
  assert.equal(outcome, 'review', `the image was not read: ${outcome}`);
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'totp');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'me@somecompany.net');
}

/** Hands `bytes` to the page as a File inside a DataTransfer, then dispatches `make(dt)`. */
async function dispatchWithFile(page, bytes, { name, type }, selector, eventKind) {
  await page.evaluate(
    ({ data, name, type, selector, eventKind }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type }));
      const target = document.querySelector(selector);
      const init = { bubbles: true, cancelable: true };
      const event =
        eventKind === 'paste'
          ? new ClipboardEvent('paste', { ...init, clipboardData: transfer })
          : new DragEvent(eventKind, { ...init, dataTransfer: transfer });
      target.dispatchEvent(event);
    },
    { data: [...bytes], name, type, selector, eventKind },
  );
}

/**
 * Draws a picture in the page and returns it as PNG bytes: `width × height`, a busy
 * background (stripes, boxes, text), and the QR fixture `qr` at `scale` at (`x`, `y`).
 */
async function drawPicture(page, { width, height, qr, scale = 1, x = 0, y = 0 }) {
  const qrBytes = qr ? [...(await readFile(fixture(qr)))] : null;
  const base64 = await page.evaluate(
    async ({ width, height, qrBytes, scale, x, y }) => {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#eef1f5';
      ctx.fillRect(0, 0, width, height);
      // Clutter a QR decoder has to look past: a sidebar, cards, lines of "text".
      ctx.fillStyle = '#2b3440';
      ctx.fillRect(0, 0, Math.min(260, width / 5), height);
      for (let i = 0; i < 40; i += 1) {
        ctx.fillStyle = i % 3 ? '#9aa4b1' : '#1b1f24';
        ctx.fillRect(300 + ((i * 97) % (width - 400)), 40 + ((i * 53) % (height - 80)), 180, 10);
        ctx.strokeStyle = '#c5ccd6';
        ctx.strokeRect(320 + ((i * 131) % (width - 500)), 60 + ((i * 71) % (height - 200)), 120, 80);
      }
      if (qrBytes) {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(qrBytes)]));
        ctx.imageSmoothingEnabled = false;
        ctx.fillStyle = '#fff';
        ctx.fillRect(x - 8, y - 8, bitmap.width * scale + 16, bitmap.height * scale + 16);
        ctx.drawImage(bitmap, x, y, bitmap.width * scale, bitmap.height * scale);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return btoa(text);
    },
    { width, height, qrBytes, scale, x, y },
  );
  return Buffer.from(base64, 'base64');
}

test('a photo of the Microsoft 365 QR code (rotated, blurred, JPEG) is read into the same account, and nothing logs the secret', async () => {
  const { page, problems } = await openFresh();
  await byTestId(page, 'qr-file').setInputFiles(fixture('photo-m365.jpg'));
  await assertM365Account(page);
  const leaks = problems.console.filter((m) => /abcdefghijklmnop|otpauth/i.test(m.text));
  assert.deepEqual(leaks, [], 'no console message (page or worker) holds the payload');
  problems.assertNone();
});

test('a screenshot of the Microsoft 365 QR code chosen with the file picker is read into the same account', async () => {
  const { page, problems } = await openFresh();
  await byTestId(page, 'qr-file').setInputFiles(fixture('m365.png'));
  await assertM365Account(page);
  problems.assertNone();
});

test('Microsoft Authenticator’s phonefactor:// QR code is explained, not burned', async () => {
  const { page, problems } = await openFresh();
  await byTestId(page, 'qr-file').setInputFiles(fixture('phonefactor.png'));
  assert.equal(await qrDecodeOutcome(page), 'review');
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'not_a_secret');
  assert.match(await byTestId(page, 'classification-advice').innerText(), /different authenticator app/);
  assert.match(await byTestId(page, 'classification').innerText(), /Microsoft Authenticator/);
  assert.equal(await byTestId(page, 'review-continue').count(), 0, 'no way on to the burn');
  problems.assertNone();
});

test('a Google Authenticator export QR code opens the picker: 3 accounts, the SHA512 Bank one disabled', async () => {
  const { page, problems } = await openFresh();
  await byTestId(page, 'qr-file').setInputFiles(fixture('migration.png'));
  assert.equal(await qrDecodeOutcome(page), 'review');
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'migration');
  const list = byTestId(page, 'migration-accounts');
  const text = await list.innerText();
  assert.match(text, /Google — alice@gmail\.com/);
  assert.match(text, /GitHub — octocat/);
  assert.match(text, /Bank — bob/);
  assert.equal(await list.locator('input[type="radio"]').count(), 3);
  assert.equal(await byTestId(page, 'migration-account-1').isDisabled(), false);
  assert.equal(await byTestId(page, 'migration-account-2').isDisabled(), false);
  assert.equal(await byTestId(page, 'migration-account-3').isDisabled(), true);
  const reason = list.locator('.is-unsupported [data-reason]');
  assert.equal(await reason.getAttribute('data-reason'), 'algorithm');
  assert.match(await reason.innerText(), /SHA-?512/);
  problems.assertNone();
});

test('the token’s own serial-number QR code is recognised as a serial barcode, not a secret', async () => {
  const { page, problems } = await openFresh();
  await byTestId(page, 'qr-file').setInputFiles(fixture('serial.png'));
  assert.equal(await qrDecodeOutcome(page), 'review');
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'not_a_secret');
  assert.match(await byTestId(page, 'classification-advice').innerText(), /serial-number barcode/);
  problems.assertNone();
});

test('a picture without a QR code says so, and a file that is not an image says that', async () => {
  const { page, problems } = await openFresh();
  const empty = await drawPicture(page, { width: 800, height: 600 });
  await byTestId(page, 'qr-file').setInputFiles({ name: 'desk.png', mimeType: 'image/png', buffer: empty });
  assert.match(await qrDecodeOutcome(page), /No QR code was found/);
  const axe = axeLedger(page);
  await axe.check('no QR found');
  await shootBothWidths(page, 'qr-upload-no-code');

  await byTestId(page, 'qr-file').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('otpauth://totp/this-is-text-not-a-picture'),
  });
  await page.locator('.notice-error', { hasText: 'not an image' }).waitFor({ timeout: 30_000 });
  assert.match(await qrDecodeOutcome(page), /This file is not an image Kiln can open\. Use a PNG, JPEG or WebP file\./);
  problems.assertNone();
  axe.assertClean();
});

test('an image file dropped on the image card is read into the same account', async () => {
  const { page, problems } = await openFresh();
  const bytes = await readFile(fixture('m365.png'));
  await dispatchWithFile(page, bytes, { name: 'm365.png', type: 'image/png' }, '.dropzone', 'dragover');
  assert.match(await page.locator('.dropzone').getAttribute('class'), /is-dragging/);
  await dispatchWithFile(page, bytes, { name: 'm365.png', type: 'image/png' }, '.dropzone', 'drop');
  await assertM365Account(page);
  problems.assertNone();
});

test('an image pasted with Ctrl+V on step 1 is read into the same account', async () => {
  const { page, problems } = await openFresh();
  const bytes = await readFile(fixture('m365.png'));
  // Clipboard images arrive as image.png whatever they were.
  await dispatchWithFile(page, bytes, { name: 'image.png', type: 'image/png' }, 'main h2', 'paste');
  await assertM365Account(page);
  problems.assertNone();
});

test('a small QR code (4 px modules) in a busy 1920×1080 screenshot is read at full size', async () => {
  const { page, problems } = await openFresh();
  const shot = await drawPicture(page, { width: 1920, height: 1080, qr: 'm365.png', x: 1500, y: 700 });
  await byTestId(page, 'qr-file').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: shot });
  await assertM365Account(page);
  problems.assertNone();
});

test('a 6000×4000 photo (above the decoder’s 16 MP limit) is scaled down and still read', async () => {
  const { page, problems } = await openFresh();
  const photo = await drawPicture(page, { width: 6000, height: 4000, qr: 'm365.png', scale: 5, x: 2600, y: 1500 });
  await byTestId(page, 'qr-file').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: photo });
  await assertM365Account(page);
  problems.assertNone();
});
