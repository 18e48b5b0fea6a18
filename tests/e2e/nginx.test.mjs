// Issue #7, self-hosting: Debian's nginx with docs/nginx/kiln.conf (only its "# TEST:" lines
// changed: loopback port, localhost, the build's path, no TLS) serves the build with the headers
// the guide promises, and a whole burn runs through it in Chromium with the header CSP and the
// page's meta CSP both in force, without a single console error. Also: the file as shipped (TLS,
// HTTP/2, IPv6) passes `nginx -t` on Debian's nginx without warnings.
//
// nginx missing is a failure naming scripts/bootstrap.sh, not a skip.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST_DIR, REPO_ROOT, launchChromium } from './lib/harness.mjs';
import { checkShippedConfiguration, startNginx } from './lib/nginx.mjs';
import { openKiln, waitForServiceWorkerControl } from './lib/app-session.mjs';
import { burnAndVerify, randomAccount, startOver } from './lib/burn-flow.mjs';
import { byTestId, waitForScreen } from './lib/wizard-driver.mjs';

let nginx;
let browser;
let files;
let metaCsp;
before(async () => {
  nginx = await startNginx({ root: DIST_DIR });
  browser = await launchChromium();
  files = await readdir(DIST_DIR);
  const index = await readFile(join(DIST_DIR, 'index.html'), 'utf8');
  metaCsp = index.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(metaCsp, 'dist/index.html has a CSP meta tag');
});
after(async () => {
  await browser?.close();
  await nginx?.stop();
});

/** GET `path` from nginx directly (node's fetch: no cache, asks for gzip). */
const get = (path) => fetch(new URL(path, `http://127.0.0.1:${nginx.port}/`), { headers: { 'accept-encoding': 'gzip' } });

/** The headers every answer carries, 404s included. */
function assertSecurityHeaders(res, what) {
  const h = (name) => res.headers.get(name);
  assert.equal(h('content-security-policy'), `${metaCsp}; frame-ancestors 'none'`, `${what}: the meta CSP plus frame-ancestors`);
  const policy = Object.fromEntries(
    h('permissions-policy').split(',').map((item) => item.trim().split('=')),
  );
  // What src/ uses: WebUSB, Web Serial (PN532 boards), the camera and screen capture (QR codes);
  // nothing else is granted.
  const granted = Object.keys(policy).filter((feature) => policy[feature] !== '()').sort();
  assert.deepEqual(granted, ['camera', 'display-capture', 'serial', 'usb'], `${what}: granted features`);
  for (const feature of granted) assert.equal(policy[feature], '(self)', `${what}: ${feature} for this site only`);
  for (const feature of ['clipboard-read', 'clipboard-write', 'hid', 'microphone', 'geolocation']) {
    assert.equal(policy[feature], '()', `${what}: ${feature} denied explicitly (Kiln does not use it)`);
  }
  const hsts = h('strict-transport-security')?.match(/^max-age=(\d+)$/);
  assert.ok(hsts, `${what}: Strict-Transport-Security is max-age=N only (no includeSubDomains/preload)`);
  assert.ok(Number(hsts[1]) >= 180 * 24 * 3600, `${what}: HSTS lasts at least 6 months`);
  assert.equal(h('referrer-policy'), 'no-referrer', what);
  assert.equal(h('x-content-type-options'), 'nosniff', what);
  assert.equal(h('x-frame-options'), 'DENY', what);
  assert.equal(h('server'), 'nginx', `${what}: no version in the Server header`);
}

test('the shipped configuration (TLS, HTTP/2, IPv6) passes nginx -t on Debian’s nginx without warnings', async () => {
  const output = await checkShippedConfiguration();
  assert.match(output, /test is successful/);
  assert.doesNotMatch(output, /\[(warn|emerg|alert|crit|error)\]/, output);
});

test('nginx with the docs’ configuration sends the promised headers, types and cache rules', async () => {
  const hashed = (re) => {
    const name = files.find((f) => re.test(f));
    assert.ok(name, `the build has a file matching ${re}`);
    return name;
  };
  // Trunk's hashes are 64-bit numbers in hex without leading zeros: usually 16 digits, 15 in one
  // build of 16. The guide caches 12 to 16 digits forever; a shorter one is only revalidated.
  const forever = (name) => (/-[0-9a-f]{12,16}(_bg)?\.\w+$/.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');
  const wasm = hashed(/^kiln-web-[0-9a-f]+_bg\.wasm$/);
  const js = hashed(/^kiln-web-[0-9a-f]+\.js$/);
  const css = hashed(/^app-[0-9a-f]+\.css$/);
  const cases = [
    { path: '/', type: 'text/html; charset=utf-8', cache: 'no-cache' },
    { path: '/index.html', type: 'text/html; charset=utf-8', cache: 'no-cache' },
    { path: '/sw.js', type: 'text/javascript', cache: 'no-cache' },
    { path: '/assets/manifest.webmanifest', type: 'application/manifest+json', cache: 'no-cache' },
    { path: `/${wasm}`, type: 'application/wasm', cache: forever(wasm), gzip: true },
    { path: `/${js}`, type: 'text/javascript', cache: forever(js), gzip: true },
    { path: `/${css}`, type: 'text/css', cache: forever(css), gzip: true },
    { path: '/assets/icon-192.png', type: 'image/png', cache: 'public, max-age=86400' },
  ];
  // The QR worker's start script, glue and wasm are content-hashed like the app (post-build.mjs).
  for (const re of [/^kiln-qr-worker-loader-[0-9a-f]{16}\.js$/, /^kiln-qr-worker-[0-9a-f]{16}\.js$/, /^kiln-qr-worker-[0-9a-f]{16}_bg\.wasm$/]) {
    const name = hashed(re);
    cases.push({ path: `/${name}`, type: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', cache: 'public, max-age=31536000, immutable' });
  }
  // Every script and wasm is content-hashed except the service worker itself.
  const unhashed = files.filter((f) => /\.(js|wasm)$/.test(f) && !/-[0-9a-f]{12,16}(_bg)?\.(js|wasm)$/.test(f));
  assert.deepEqual(unhashed, ['sw.js'], 'files without a content hash in their name');
  for (const c of cases) {
    const res = await get(c.path);
    assert.equal(res.status, 200, c.path);
    assert.equal(res.headers.get('content-type'), c.type, `${c.path}: Content-Type`);
    assert.equal(res.headers.get('cache-control'), c.cache, `${c.path}: Cache-Control`);
    if (c.gzip) assert.equal(res.headers.get('content-encoding'), 'gzip', `${c.path}: compressed`);
    assertSecurityHeaders(res, c.path);
    const body = Buffer.from(await res.arrayBuffer());
    const file = c.path === '/' ? 'index.html' : c.path.slice(1);
    assert.deepEqual(body, await readFile(join(DIST_DIR, file)), `${c.path}: the build's bytes`);
  }
  const missing = await get('/no-such-file.js');
  assert.equal(missing.status, 404);
  assertSecurityHeaders(missing, '404');
  assert.doesNotMatch(await missing.text(), /nginx\/\d/, 'no version on the error page');
});

test('a whole burn through nginx in Chromium, with the header and the meta CSP both active, has no console errors and nothing reaches nginx after load', async (t) => {
  const logLines = (text) => text.split('\n').filter(Boolean);
  const before = logLines(await nginx.accessLog()).length;
  const { page, problems, sim } = await openKiln(t, browser, nginx.url);
  await waitForScreen(page, 'secret', 30_000);
  const headerCsp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  assert.match(headerCsp ?? '', /frame-ancestors 'none'/, 'the page is served with the CSP header');
  assert.equal(await page.evaluate(() => window.isSecureContext), true, 'localhost is a secure context');
  await waitForServiceWorkerControl(page);
  await page.waitForTimeout(500);
  const atReady = logLines(await nginx.accessLog()).length;

  await burnAndVerify(page, sim, randomAccount());
  await startOver(page);

  const all = logLines(await nginx.accessLog());
  assert.deepEqual(all.slice(atReady), [], 'requests nginx received during the flow');
  const access = all.slice(before, atReady);
  assert.ok(access.some((line) => line.includes('"GET / HTTP')), 'the page came from nginx');
  for (const line of access) {
    const [, method, path, status] = line.match(/"(\w+) (\S+) HTTP\/[\d.]+" (\d{3})/) ?? [];
    assert.equal(method, 'GET', line);
    assert.ok(['200', '304'].includes(status), `nginx answered ${status}: ${line}`);
    assert.ok(path === '/' || files.includes(path.slice(1).split('/')[0]), `not a build file: ${line}`);
  }
  // The worker's precache revalidates what the page has just loaded (304) instead of
  // downloading it again: each file's body crosses the network once.
  const fullDownloads = {};
  for (const line of access) {
    const [, path, status] = line.match(/"GET (\S+) [^"]+" (\d{3})/);
    if (status === '200') fullDownloads[path] = (fullDownloads[path] ?? 0) + 1;
  }
  const twice = Object.entries(fullDownloads).filter(([path, n]) => n > 1 && path !== '/');
  assert.deepEqual(twice, [], 'files downloaded in full more than once on the first visit');
  assert.doesNotMatch(await nginx.errorLog(), /\[(error|crit|alert|emerg)\]/);
  t.diagnostic(`nginx served ${access.length} requests, all before the app was ready`);
  problems.assertNone();
});

test('a QR code image is decoded through nginx: the QR worker runs under the header CSP', async (t) => {
  const { page, problems } = await openKiln(t, browser, nginx.url);
  await waitForScreen(page, 'secret', 30_000);
  await byTestId(page, 'qr-file').setInputFiles(join(REPO_ROOT, 'tests/fixtures/qr/github.png'));
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'totp');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'GitHub');
  problems.assertNone();
});
