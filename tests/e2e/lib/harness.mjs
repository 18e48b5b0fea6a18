// Shared plumbing for every e2e test: serve the release build in dist/, drive Debian's Chromium
// through playwright-core, and treat anything the browser complains about as a failure.
//
// Typical use in a `*.test.mjs` file:
//
//   import { before, after, test } from 'node:test';
//   import { startHarness } from './lib/harness.mjs';
//   let h;
//   before(async () => { h = await startHarness(); });
//   after(() => h?.close());
//   test('…', async () => {
//     const { page, problems } = await h.openApp();
//     …assertions on what the wasm rendered…
//     await h.screenshot(page, 'name');
//     problems.assertNone();
//   });
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const REPO_ROOT = resolve(here, '..', '..', '..');
/** The release build under test (override with KILN_DIST). */
export const DIST_DIR = resolve(process.env.KILN_DIST ?? join(REPO_ROOT, 'dist'));
/** Screenshots and other evidence; git-ignored (override with E2E_ARTIFACTS). */
export const ARTIFACTS_DIR = resolve(process.env.E2E_ARTIFACTS ?? join(here, '..', 'artifacts'));
/** Debian's Chromium; playwright-core never downloads a browser (override with CHROMIUM). */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a quiet headless Chromium on a closed network, running as root in CI.
 * The network-quietening ones stop background requests that would only fail here.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Launches headless Debian Chromium. Set HEADED=1 to watch it. */
export async function launchChromium(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: !process.env.HEADED,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
    ...options,
  });
}

/**
 * Records everything on `page` that means "the app is broken": console errors, uncaught
 * exceptions (a Rust panic surfaces as one), failed requests and HTTP error statuses (a missing
 * favicon counts: the app must not cause 404s).
 * @param {import('playwright-core').Page} page
 * @param {{ignore?: RegExp[]}} options messages matching one of `ignore` are not recorded.
 */
export function watchPageProblems(page, { ignore = [] } = {}) {
  const list = [];
  const consoleMessages = [];
  const record = (kind, text) => {
    if (!ignore.some((pattern) => pattern.test(text))) list.push(`${kind}: ${text}`);
  };
  page.on('console', (msg) => {
    consoleMessages.push({ type: msg.type(), text: msg.text() });
    if (msg.type() === 'error') record('console.error', msg.text());
  });
  page.on('pageerror', (error) => record('uncaught exception', error.stack ?? String(error)));
  page.on('crash', () => record('crash', 'the page crashed'));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? 'unknown';
    // A chunk fetched ahead of need (src/on_demand.rs, preload_likely_next) is cancelled when the
    // page is reloaded or closed first: that is not a failure. (A chunk that could not be
    // fetched fails with a network error, which still counts.)
    if (error === 'net::ERR_ABORTED' && /\/kiln-split-[^/]+\.wasm$/.test(new URL(req.url()).pathname)) return;
    record('request failed', `${req.url()} (${error})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) record(`HTTP ${res.status()}`, res.url());
  });
  return {
    /** The problems so far, one line each. */
    list,
    /** Every console message of any type, for tests that check warnings or logs. */
    console: consoleMessages,
    /** Throws, listing every problem, if the browser reported any. */
    assertNone(context = 'the page') {
      if (list.length > 0) {
        throw new Error(`${context} reported ${list.length} problem(s):\n  ${list.join('\n  ')}`);
      }
    },
  };
}

/** Saves a full-page screenshot as `<ARTIFACTS_DIR>/<name>.png`; returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Serves dist/ on 127.0.0.1 (a random free port; localhost is a secure context, so WebUSB and
 * the camera APIs exist) and launches Chromium. Call `close()` when done.
 * @param {{dist?: string, launch?: object}} options
 */
export async function startHarness({ dist = DIST_DIR, launch = {} } = {}) {
  const server = await startStaticServer({ root: dist });
  let browser;
  try {
    browser = await launchChromium(launch);
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts = [];
  return {
    url: server.url,
    browser,
    /**
     * Opens `path` (relative to the app root) in a fresh browser context, with problems
     * watched from before the first request.
     * @param {string} [path]
     * @param {{ignore?: RegExp[], context?: object, beforeLoad?: (page) => Promise<void>}} [options]
     *   `beforeLoad` runs before navigation, e.g. to `page.addInitScript` a fake device.
     */
    async openApp(path = '', { ignore, context: contextOptions, beforeLoad } = {}) {
      const context = await browser.newContext(contextOptions);
      contexts.push(context);
      const page = await context.newPage();
      const problems = watchPageProblems(page, { ignore });
      if (beforeLoad) await beforeLoad(page);
      await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
      return { page, problems, context };
    },
    screenshot,
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}
