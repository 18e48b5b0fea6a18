// The Web NFC check on the Reader step, with a stand-in NDEFReader (headless Chromium has no
// NFC) that counts scans and the aborts of their AbortSignals: one scan at a time, stopped once
// the phone saw something, on Stop, and when the step is left.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { byTestId, shootBothWidths, submitSecretText, waitForScreen } from './lib/wizard-driver.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/** A fake NDEFReader: `scan({signal})` starts listening until the signal aborts. */
function fakeNfc() {
  const nfc = { scans: 0, withoutSignal: 0, aborts: 0, listening: 0, readers: [] };
  window.__nfc = nfc;
  window.NDEFReader = class {
    async scan(options = {}) {
      nfc.scans += 1;
      const { signal } = options;
      if (!signal) nfc.withoutSignal += 1;
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      nfc.listening += 1;
      signal?.addEventListener('abort', () => {
        nfc.aborts += 1;
        nfc.listening -= 1;
      });
      nfc.readers.push(this);
    }
  };
  window.__nfcTouch = (serialNumber) => nfc.readers.at(-1)?.onreading?.({ serialNumber });
}

const counts = (page) => page.evaluate(() => {
  const { scans, withoutSignal, aborts, listening } = window.__nfc;
  return { scans, withoutSignal, aborts, listening };
});

test('Web NFC check: no stacked scans; the scan is aborted once the phone saw the token, on Stop and on leaving the step', async () => {
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => p.addInitScript(fakeNfc),
  });
  await waitForScreen(page, 'secret');
  await submitSecretText(page, 'otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  await byTestId(page, 'review-continue').click();
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
  // The step's content arrives with its on-demand chunk, after `data-screen` changes.
  await byTestId(page, 'nfc-check').waitFor();

  // Two clicks in the same task, before the page could disable the button: one scan.
  await page.evaluate(() => {
    const button = document.querySelector('[data-testid="nfc-check"]');
    button.click();
    button.click();
  });
  await byTestId(page, 'nfc-waiting').waitFor();
  assert.equal(await byTestId(page, 'nfc-check').isDisabled(), true, 'no second scan while one runs');
  assert.deepEqual(await counts(page), { scans: 1, withoutSignal: 0, aborts: 0, listening: 1 });
  await shootBothWidths(page, 'nfc-check-waiting');

  // The phone sees the token: the result is shown and the scan stops.
  await page.evaluate(() => window.__nfcTouch('04:a2:19:7b'));
  await page.getByText('The phone sees an NFC device').waitFor();
  assert.deepEqual(await counts(page), { scans: 1, withoutSignal: 0, aborts: 1, listening: 0 });

  // Again, stopped with Stop.
  await byTestId(page, 'nfc-check').click();
  await byTestId(page, 'nfc-stop').click();
  await byTestId(page, 'nfc-stop').waitFor({ state: 'detached' });
  assert.deepEqual(await counts(page), { scans: 2, withoutSignal: 0, aborts: 2, listening: 0 });

  // Again, and the user leaves the step while it listens.
  await byTestId(page, 'nfc-check').click();
  await byTestId(page, 'nfc-waiting').waitFor();
  await page.getByRole('button', { name: 'Back' }).click();
  await waitForScreen(page, 'preview');
  assert.deepEqual(await counts(page), { scans: 3, withoutSignal: 0, aborts: 3, listening: 0 });
  problems.assertNone();
});
