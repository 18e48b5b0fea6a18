// Issue #7, "secrets": the revealed secret is hidden again when the page loses visibility, and
// the clipboard is never read by the app (a paste is the user's own gesture and arrives as a
// paste event; navigator.clipboard.read/readText are never called).
//
// Headless Chromium keeps every page "visible" (switching tabs, minimising and CDP lifecycle
// states do not change document.visibilityState there), so hiding is emulated the way the
// browser reports it: document.visibilityState/hidden say "hidden" and a visibilitychange event
// is dispatched on the document.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DIST_DIR, launchChromium } from './lib/harness.mjs';
import { startDeployServer } from './lib/deploy-server.mjs';
import { openKiln } from './lib/app-session.mjs';
import { burnAndVerify, randomAccount, startOver } from './lib/burn-flow.mjs';
import { findSecretInText } from './lib/secret-search.mjs';
import { byTestId, submitSecretText, waitForScreen } from './lib/wizard-driver.mjs';

let browser;
let site;
before(async () => {
  site = await startDeployServer({ root: DIST_DIR });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Makes the document report `state` ('hidden' or 'visible') and fires visibilitychange. */
const setVisibility = (page, state) =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

test('a revealed secret is masked again when the page becomes hidden, and stays masked when it is visible again', async (t) => {
  const account = randomAccount();
  const { page, problems } = await openKiln(t, browser, site.url);
  await waitForScreen(page, 'secret', 30_000);
  await submitSecretText(page, account.uri);
  const shown = byTestId(page, 'secret-masked');
  const toggle = page.locator('.secret-row button');

  await toggle.click();
  assert.equal((await shown.innerText()).replace(/\s+/g, ''), account.base32, 'revealed');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

  await setVisibility(page, 'hidden');
  await page.waitForFunction(() => !/[A-Z2-7]{4}/.test(document.querySelector('[data-testid="secret-masked"]').textContent));
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await toggle.innerText(), 'Show secret');
  assert.deepEqual(findSecretInText(account, await page.content()), [], 'the Base32 is gone from the DOM');

  await setVisibility(page, 'visible');
  await page.waitForTimeout(300);
  assert.deepEqual(findSecretInText(account, await page.content()), [], 'coming back does not reveal it');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  problems.assertNone();
});

test('the clipboard is never read: no navigator.clipboard.read/readText call during a whole burn, verify and start over', async (t) => {
  const { page, problems, sim } = await openKiln(t, browser, site.url, {
    initScripts: [
      () => {
        window.__clipboardReads = [];
        for (const name of ['read', 'readText']) {
          const original = Clipboard.prototype[name];
          Clipboard.prototype[name] = function spied(...args) {
            window.__clipboardReads.push({ name, userActivation: navigator.userActivation?.isActive ?? null });
            return original.apply(this, args);
          };
        }
      },
    ],
  });
  await burnAndVerify(page, sim, randomAccount());
  await startOver(page);
  assert.deepEqual(await page.evaluate(() => window.__clipboardReads), [], 'clipboard reads by the app');

  // The spy sees calls (so the empty list above means something).
  await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
  assert.equal(await page.evaluate(() => window.__clipboardReads.length), 1, 'the spy counts a read');
  problems.assertNone();
});
