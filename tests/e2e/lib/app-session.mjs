// Opening Kiln for the privacy, offline and nginx tests: a fresh browser context with the fake
// reader (backed by kiln-sim), problems watched from the first request, and helpers to wait for
// the service worker.
import { installFakeUsb, READERS } from './fake-usb.mjs';
import { watchPageProblems } from './harness.mjs';
import { startSimBridge } from './sim-bridge.mjs';
import { SIM_TOKEN } from './burn-flow.mjs';

/**
 * Opens `url` in a new context of `browser` with a simulated PN533 reader and token.
 * Everything is closed when the test `t` ends.
 * `onContext(context)` runs before the page opens (e.g. to record every request from the first).
 * @param {{initScripts?: Function[], ignore?: RegExp[], context?: object, onContext?: Function}} options
 */
export async function openKiln(t, browser, url, { initScripts = [], ignore, context: contextOptions, onContext } = {}) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device(SIM_TOKEN);
  const context = await browser.newContext(contextOptions);
  t.after(() => context.close().catch(() => {}));
  await onContext?.(context);
  const page = await context.newPage();
  const problems = watchPageProblems(page, { ignore });
  const usb = await installFakeUsb(page, sim, { reader: READERS.stickId });
  for (const script of initScripts) await page.addInitScript(script);
  await page.goto(url);
  return { sim, context, page, problems, usb };
}

/**
 * Waits until a service worker is active and controls the page (on a first visit the worker
 * claims the page once it has precached the build).
 */
export async function waitForServiceWorkerControl(page, timeout = 30_000) {
  await page.evaluate(async (ms) => {
    const deadline = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`no service worker in control after ${ms} ms`)), ms),
    );
    const control = (async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
      }
    })();
    await Promise.race([control, deadline]);
  }, timeout);
}

/** The names of Kiln's caches in Cache Storage. */
export const cacheNames = (page) => page.evaluate(() => caches.keys());
