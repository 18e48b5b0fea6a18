// Helpers for driving Kiln's wizard in the e2e tests: test-id locators, waiting for a screen,
// screenshots at desktop and phone widths, axe-core accessibility checks, the preview checked
// against RFC 6238 (reference-otp), and the steps shared by several tests (QR decode, identify).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { screenshot } from './harness.mjs';
import { totp } from './reference-otp.mjs';

const require = createRequire(import.meta.url);
/** axe-core's source, evaluated through the DevTools protocol: the app's Content-Security-Policy
 * forbids inline scripts, so a <script> tag would be refused (and counted as an error). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Desktop and phone widths every step is photographed at. */
export const WIDTHS = [1280, 360];
const HEIGHT = 900;

/** The element with `data-testid="<id>"`. */
export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Waits until the main area shows `screen` (`secret`, `review`, …, `identify-tool`). */
export async function waitForScreen(page, screen, timeout = 15_000) {
  await page.locator(`main[data-screen="${screen}"]`).waitFor({ state: 'attached', timeout });
}

/**
 * Waits until `[data-testid=<id>]` has attribute `name` equal to one of `values`; returns the
 * value it has then.
 */
export async function waitForAttribute(page, id, name, values, timeout = 30_000) {
  const selector = `[data-testid="${id}"]`;
  await page.waitForFunction(
    ([sel, attr, wanted]) => wanted.includes(document.querySelector(sel)?.getAttribute(attr)),
    [selector, name, values],
    { timeout },
  );
  return page.locator(selector).getAttribute(name);
}

/** Full-page screenshots `<name>-1280.png` and `<name>-360.png`; back to desktop width after. */
export async function shootBothWidths(page, name) {
  const paths = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    paths.push(await screenshot(page, `${name}-${width}`));
  }
  await page.setViewportSize({ width: WIDTHS[0], height: HEIGHT });
  return paths;
}

/**
 * Runs axe-core on the whole page; returns the violations as readable lines (empty when clean).
 * Rules: everything axe checks by default (WCAG 2.x A/AA and best practices).
 */
export async function axeViolations(page) {
  const injected = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!injected) await page.evaluate(`${AXE_SOURCE};0`);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.join('\n      ')}`);
}

/** Collects axe results per screen; `assertClean()` fails listing every screen's violations. */
export function axeLedger(page) {
  const found = [];
  return {
    async check(label) {
      for (const line of await axeViolations(page)) found.push(`[${label}] ${line}`);
    },
    assertClean() {
      if (found.length > 0) {
        throw new Error(`axe-core found ${found.length} violation(s):\n  ${found.join('\n  ')}`);
      }
    },
  };
}

/** A six-digit code grouped as the app shows and accepts it: `123 456`. */
export const spaced = (code) => `${code.slice(0, 3)} ${code.slice(3)}`;

/**
 * Reads the preview's current code and checks it, and its neighbours, against RFC 6238
 * (reference-otp, 30 s steps). The app ticks every 250 ms, so its "now" lies in
 * [before - 1 s, after] of the read.
 */
export async function assertPreviewMatchesRfc6238(page, seed) {
  const before = Date.now() / 1000;
  const shown = await byTestId(page, 'totp-current').getAttribute('data-code');
  const after = Date.now() / 1000;
  const candidates = [before - 1, after].map((t) => ({ t, code: totp(seed, t) }));
  const match = candidates.find((c) => c.code === shown);
  assert.ok(
    match,
    `preview shows ${shown}; RFC 6238 gives ${candidates.map((c) => c.code).join(' or ')}`,
  );
  // Read the neighbours right away and accept a step change in between.
  const previous = await byTestId(page, 'totp-previous').innerText();
  const next = await byTestId(page, 'totp-next').innerText();
  const t = match.t;
  const ok =
    (previous === spaced(totp(seed, t - 30)) && next === spaced(totp(seed, t + 30))) ||
    (previous === spaced(totp(seed, t)) && next === spaced(totp(seed, t + 60)));
  assert.ok(ok, `previous/next ${previous}/${next} are not the neighbouring RFC 6238 codes`);
}

/**
 * Waits until a QR decode on step 1 has finished: returns 'review' when the review opened, else
 * the error step 1 shows.
 */
export async function qrDecodeOutcome(page, timeout = 30_000) {
  await page
    .locator('main[data-screen="review"], main[data-screen="secret"] .notice-error')
    .first()
    .waitFor({ timeout });
  const error = page.locator('main[data-screen="secret"] .notice-error');
  return (await error.count()) > 0 ? (await error.innerText()).trim() : 'review';
}

/** Clicks "Read the token" and waits for the serial or the identification error. */
export async function identifyToken(page) {
  await byTestId(page, 'identify-token').click();
  await page
    .locator('[data-testid="token-serial"], [data-testid="identify-error"]')
    .first()
    .waitFor({ timeout: 20_000 });
}

/** Types `text` into the secret box and continues to the review. */
export async function submitSecretText(page, text) {
  await byTestId(page, 'secret-text').fill(text);
  await byTestId(page, 'secret-submit').click();
  await waitForScreen(page, 'review');
}

/**
 * From a fresh app with a fake reader installed: pastes `uri`, goes through review and preview,
 * connects the reader and identifies the token. Stops on the Token step when identification
 * fails (the caller checks `identify-error`), else on the Burn step.
 */
export async function reachBurnStep(page, uri) {
  await waitForScreen(page, 'secret');
  await submitSecretText(page, uri);
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await identifyToken(page);
  if ((await byTestId(page, 'token-serial').count()) === 0) return 'identify';
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
  return 'burn';
}

/** Clicks Burn and waits for the outcome: `success`, `failed` or `unknown`. */
export async function burnAndWait(page) {
  await byTestId(page, 'burn').click();
  return waitForAttribute(page, 'burn-status', 'data-state', ['success', 'failed', 'unknown'], 40_000);
}

/** The `progress-item` status classes of the burn, by step label. */
export async function burnProgress(page) {
  return page.locator('[data-testid="burn-status"] .progress-item').evaluateAll((items) =>
    Object.fromEntries(
      items.map((li) => [
        li.querySelector('.progress-label').textContent,
        [...li.classList].find((c) => c.startsWith('is-'))?.slice(3),
      ]),
    ),
  );
}

/** The instruction bytes (hex, e.g. `C5`) of the APDUs the simulated token received. */
export const receivedInstructions = (token) => token.received.map((apdu) => apdu.slice(2, 4));
