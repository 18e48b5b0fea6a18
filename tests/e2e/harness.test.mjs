// The harness itself: the e2e suite is only as strict as watchPageProblems, so check that it
// really catches each kind of problem (on a throwaway page, not the app).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';

let dir;
let h;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-harness-'));
  await writeFile(
    join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>
      <p id="ok">static page</p>
      <img src="missing.png" alt="">
      <script>console.error('deliberate console error'); console.warn('just a warning');</script>
      <script>setTimeout(() => { throw new Error('deliberate uncaught exception'); }, 0);</script>
    </body></html>`,
  );
  await writeFile(join(dir, 'clean.html'), '<!DOCTYPE html><link rel="icon" href="data:,"><p>fine</p>');
  h = await startHarness({ dist: dir });
});
after(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('watchPageProblems reports console errors, uncaught exceptions and 404s, but not warnings', async () => {
  const { page, problems } = await h.openApp('index.html');
  await page.waitForFunction(() => document.readyState === 'complete');
  await page.waitForTimeout(200); // let the deliberate setTimeout throw
  const all = problems.list.join('\n');
  assert.match(all, /console\.error: deliberate console error/);
  assert.match(all, /uncaught exception: .*deliberate uncaught exception/);
  assert.match(all, /HTTP 404: .*\/missing\.png/);
  assert.doesNotMatch(all, /just a warning/);
  assert.ok(problems.console.some((m) => m.type === 'warning' && m.text === 'just a warning'));
  assert.throws(() => problems.assertNone(), /problem\(s\)/);
});

test('watchPageProblems stays quiet on a clean page and honours ignore patterns', async () => {
  const clean = await h.openApp('clean.html');
  clean.problems.assertNone();

  const ignored = await h.openApp('index.html', {
    ignore: [/deliberate/, /missing\.png/, /Failed to load resource/],
  });
  await ignored.page.waitForTimeout(200);
  ignored.problems.assertNone();
});

test('the static server maps .wasm to application/wasm and refuses paths outside its root', async () => {
  await writeFile(join(dir, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  const wasm = await fetch(new URL('m.wasm', h.url));
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const escape = await fetch(new URL('/..%2f..%2fetc%2fpasswd', h.url));
  assert.equal(escape.status, 404);
});
