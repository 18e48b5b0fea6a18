// One cold page load as bench/load.mjs and bench/load-phases.mjs measure it: a fresh browser
// context (cold HTTP cache, no service worker), optional DevTools CPU throttling, and the mark
// "interactive": the moment the secret box, rendered by the WebAssembly app, enters the page.

/**
 * Loads `url` once and returns what `read` (run in the page, after the mark) returns; `read`
 * finds the mark in `window.__kilnInteractive` (ms from navigation start).
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {number} throttle 1 for none, 4 for Chromium's 4× CPU slowdown
 * @param {() => any} read
 */
export async function loadOnce(browser, url, throttle, read) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.__kilnInteractive && document.querySelector('[data-testid="secret-text"]')) {
        window.__kilnInteractive = performance.now();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__kilnInteractive !== undefined, null, { timeout: 60_000 });
  const result = await page.evaluate(read);
  await context.close();
  return result;
}
