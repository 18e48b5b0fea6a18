// Looks for a secret (from burn-flow's randomAccount) everywhere a page could keep it: storage,
// cookies, Cache Storage, the URL and history, console messages, the DOM and form values, and
// the app's WebAssembly memory.
//
// "Any part of the secret" is taken literally: every run of 10 consecutive Base32 characters
// (50 bits), 16 hex digits (64 bits) or 8 raw seed bytes (64 bits) counts, in any letter case and
// with any spacing, so a truncated, re-grouped or lower-cased copy is found too. The seed is
// random per run, so a chance match in unrelated text or code is out of the question.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const TEXT_WINDOW = { base32: 10, hex: 16 };
const BYTE_WINDOW = 8;

const windows = (text, n) => {
  const out = new Set();
  for (let i = 0; i + n <= text.length; i += 1) out.add(text.slice(i, i + n));
  return [...out];
};

/**
 * Where in `text` a part of the secret occurs: `[]` when nowhere. Case and whitespace are
 * ignored; the raw otpauth:// link is looked for as written.
 */
export function findSecretInText(account, text) {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found = [];
  if (text.includes(account.uri)) found.push('the otpauth:// link');
  const squeezed = text.toUpperCase().replace(/\s+/g, '');
  for (const [form, source] of [
    ['Base32', account.base32],
    ['hex', account.hex.toUpperCase()],
  ]) {
    const n = form === 'Base32' ? TEXT_WINDOW.base32 : TEXT_WINDOW.hex;
    const part = windows(source, n).find((w) => squeezed.includes(w));
    if (part) found.push(`${form} (${part}…)`);
  }
  return found;
}

/** Throws, naming each place, if any entry of `places` ({name: text}) holds part of the secret. */
export function assertNoSecretIn(account, places, context) {
  const hits = [];
  for (const [name, text] of Object.entries(places)) {
    const found = findSecretInText(account, text);
    if (found.length > 0) hits.push(`${name}: ${found.join(', ')}`);
  }
  if (hits.length > 0) {
    throw new Error(`${context}: the secret is still in\n  ${hits.join('\n  ')}`);
  }
}

/**
 * Everything the page itself keeps, as text: storage, IndexedDB, cookies (the page's and the
 * context's), URL, history, the DOM with every form field's current value, and Cache Storage
 * (each entry's URL plus whether its body differs from the file of that name in `dist`).
 * @returns {Promise<Record<string, string>>}
 */
export async function pageKeepings(page, dist) {
  const inPage = await page.evaluate(async () => {
    const dump = (storage) =>
      JSON.stringify(Object.fromEntries(Array.from({ length: storage.length }, (_, i) => {
        const key = storage.key(i);
        return [key, storage.getItem(key)];
      })));
    const idb = [];
    for (const info of (await indexedDB.databases?.()) ?? []) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(info.name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const stores = {};
      for (const name of db.objectStoreNames) {
        const all = db.transaction(name).objectStore(name).getAll();
        stores[name] = await new Promise((resolve) => {
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => resolve(String(all.error));
        });
      }
      db.close();
      idb.push({ name: info.name, stores });
    }
    const cacheEntries = [];
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        const body = new Uint8Array(await response.arrayBuffer());
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
        cacheEntries.push({
          cacheName,
          url: request.url,
          sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
        });
      }
    }
    const fields = Array.from(document.querySelectorAll('input, textarea, select'), (el) => el.value);
    return {
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      indexedDB: JSON.stringify(idb),
      cookies: document.cookie,
      href: location.href,
      history: JSON.stringify({ length: history.length, state: history.state }),
      dom: document.documentElement.outerHTML,
      fields: JSON.stringify(fields),
      title: document.title,
      cacheEntries,
    };
  });
  const origin = new URL(page.url()).origin;
  const cacheLines = [];
  for (const entry of inPage.cacheEntries) {
    const url = new URL(entry.url);
    let path = url.pathname.replace(/^\//, '');
    if (path === '' || path.endsWith('/')) path += 'index.html';
    const file = await readFile(join(dist, path)).catch(() => null);
    const same = file && createHash('sha256').update(file).digest('hex') === entry.sha256;
    const kind = url.origin !== origin ? 'OTHER ORIGIN' : !file ? 'NOT A DIST FILE' : same ? 'static' : 'CHANGED';
    cacheLines.push(`${entry.cacheName} ${entry.url} ${kind}`);
  }
  const { cacheEntries: _, ...texts } = inPage;
  const contextCookies = await page.context().cookies();
  return { ...texts, contextCookies: JSON.stringify(contextCookies), cacheStorage: cacheLines.join('\n') };
}

/**
 * An init script (pass to `page.addInitScript`) that keeps the app's WebAssembly memory: the
 * boot script dispatches `TrunkApplicationStarted` with the wasm exports.
 */
export function keepWasmMemory() {
  addEventListener('TrunkApplicationStarted', (event) => {
    window.__kilnWasmMemory = event.detail?.wasm?.memory ?? null;
  });
}

/**
 * Searches the app's WebAssembly memory (kept by `keepWasmMemory`) for every 8-byte run of the
 * raw seed and every 10-character run of its Base32 (upper, lower, grouped by four as the app
 * shows it) and of its hex; also the otpauth:// link. Returns one line per hit with its offset
 * and the bytes around it, and the memory size.
 */
export async function wasmMemoryHits(page, account) {
  const grouped = account.base32.match(/.{1,4}/g).join(' ');
  const ascii = (text) => Array.from(Buffer.from(text, 'latin1'));
  const needles = [];
  const add = (form, bytes, n) => {
    for (let i = 0; i + n <= bytes.length; i += 1) needles.push({ form, bytes: bytes.slice(i, i + n) });
  };
  add('raw seed', Array.from(account.seed), BYTE_WINDOW);
  for (const [form, text] of [
    ['Base32', account.base32],
    ['base32 (lower case)', account.base32.toLowerCase()],
    ['Base32 grouped', grouped],
    ['hex', account.hex],
    ['HEX', account.hex.toUpperCase()],
  ]) {
    add(form, ascii(text), form.toLowerCase().includes('hex') ? TEXT_WINDOW.hex : TEXT_WINDOW.base32);
  }
  needles.push({ form: 'otpauth:// link', bytes: ascii(account.uri.slice(0, 40)) });
  return page.evaluate((list) => {
    const memory = window.__kilnWasmMemory;
    if (!memory) return { size: 0, hits: ['no WebAssembly memory was kept (TrunkApplicationStarted not seen)'] };
    const bytes = new Uint8Array(memory.buffer);
    // One pass: index needles by their first four bytes.
    const byKey = new Map();
    for (const needle of list) {
      const key = ((needle.bytes[0] << 24) | (needle.bytes[1] << 16) | (needle.bytes[2] << 8) | needle.bytes[3]) >>> 0;
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(needle);
    }
    const hits = [];
    const lastHit = new Map();
    for (let i = 0; i + 4 <= bytes.length; i += 1) {
      const key = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
      const candidates = byKey.get(key);
      if (!candidates) continue;
      for (const needle of candidates) {
        let ok = true;
        for (let j = 4; j < needle.bytes.length && ok; j += 1) ok = bytes[i + j] === needle.bytes[j];
        if (!ok) continue;
        // Report each copy once (the first window that hits it; later windows are within 64 B).
        const last = lastHit.get(needle.form);
        lastHit.set(needle.form, i);
        if (last !== undefined && i - last < 64) continue;
        const around = bytes.slice(Math.max(0, i - 24), Math.min(bytes.length, i + 56));
        const printable = Array.from(around, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
        hits.push(`${needle.form} at ${i}: ${printable}`);
      }
    }
    return { size: bytes.length, hits };
  }, needles);
}
