// Issue #7, "secrets": after a complete burn, and again after Start over, no part of the secret
// (Base32 in any case and spacing, hex, the raw otpauth:// link) is in localStorage,
// sessionStorage, IndexedDB, cookies, Cache Storage (only this build's unchanged static files may
// be there), the URL, the history, any console message or error of the run, the DOM or any form
// field; and after Start over no copy is left in the app's WebAssembly memory. Each run burns a
// fresh random seed, so a hit can only be a copy of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DIST_DIR, launchChromium } from './lib/harness.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { openKiln } from './lib/app-session.mjs';
import { burnAndVerify, randomAccount, startOver } from './lib/burn-flow.mjs';
import { assertNoSecretIn, keepWasmMemory, pageKeepings, wasmMemoryHits } from './lib/secret-search.mjs';

let server;
let browser;
before(async () => {
  server = await startStaticServer({ root: DIST_DIR });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh context and page with the fake reader, the wasm memory kept, problems watched. */
async function openApp(t) {
  const opened = await openKiln(t, browser, server.url, { initScripts: [keepWasmMemory] });
  // A new tab's history starts with about:blank; the app must add nothing to it.
  const historyAtLoad = await opened.page.evaluate(() => history.length);
  return { ...opened, historyAtLoad };
}

/** Every console message and error of the run, as one text per message. */
const consoleTexts = (problems) =>
  Object.fromEntries([
    ...problems.console.map((m, i) => [`console.${m.type} #${i}`, m.text]),
    ...problems.list.map((p, i) => [`problem #${i}`, p]),
  ]);

test('no part of the secret is kept in storage, cookies, Cache Storage, the URL, history, console or DOM after a burn and after start over', async (t) => {
  const account = randomAccount();
  const { sim, page, problems, historyAtLoad } = await openApp(t);
  await burnAndVerify(page, sim, account);

  const afterBurn = await pageKeepings(page, DIST_DIR);
  assertNoSecretIn(account, { ...afterBurn, ...consoleTexts(problems) }, 'after the burn');

  await startOver(page);
  const afterStartOver = await pageKeepings(page, DIST_DIR);
  assertNoSecretIn(account, { ...afterStartOver, ...consoleTexts(problems) }, 'after start over');

  // What the page may keep at all: nothing but this build's static files.
  for (const keeping of [afterBurn, afterStartOver]) {
    assert.equal(keeping.localStorage, '{}');
    assert.equal(keeping.sessionStorage, '{}');
    assert.equal(keeping.indexedDB, '[]');
    assert.equal(keeping.cookies, '');
    assert.equal(keeping.contextCookies, '[]');
    assert.equal(keeping.href, server.url, 'the URL never changes');
    assert.deepEqual(JSON.parse(keeping.history), { length: historyAtLoad, state: null }, 'no history entries');
    const unexpected = keeping.cacheStorage.split('\n').filter((line) => line && !line.endsWith(' static'));
    assert.deepEqual(unexpected, [], 'Cache Storage holds only unchanged files of this build');
  }
  problems.assertNone();
});

test('no copy of the secret’s text is left in WebAssembly memory once the revealed secret is hidden, and no copy at all after start over', async (t) => {
  const account = randomAccount();
  const { sim, page, problems } = await openApp(t);
  const textCopies = [];
  await burnAndVerify(page, sim, account, {
    onStep: async (step) => {
      if (step !== 'secret-hidden') return;
      // The seed itself is still needed (it is burned next), but the Base32 shown a moment ago
      // is not: its text must be wiped, not merely freed.
      const { hits } = await wasmMemoryHits(page, account);
      textCopies.push(...hits.filter((hit) => !hit.startsWith('raw seed')));
    },
  });
  assert.deepEqual(textCopies, [], 'text copies of the secret in WebAssembly memory after Hide secret');

  // The search works: while the account is kept for "Burn another token", the seed is there.
  const whileKept = await wasmMemoryHits(page, account);
  assert.ok(
    whileKept.hits.some((hit) => hit.startsWith('raw seed')),
    `the raw seed should be in WebAssembly memory before start over; found only: ${whileKept.hits.join('; ')}`,
  );

  await startOver(page);
  // Leptos drops the old views and values on the next tick; give it a few frames.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const left = await wasmMemoryHits(page, account);
  assert.ok(left.size > 0, 'the WebAssembly memory was found');
  assert.deepEqual(left.hits, [], `copies of the secret left in ${left.size} B of WebAssembly memory`);
  problems.assertNone();
});
