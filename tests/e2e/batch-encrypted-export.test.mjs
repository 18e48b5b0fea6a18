// Issue #14: the Batch screen's files with seeds can be downloaded encrypted with a passphrase, as
// age files that the real `age` tool (Debian's package) opens. A two-token batch on a simulated
// PN533 reader; its plain Entra CSV and Graph JSON are the reference. Encrypted, the same files
// arrive as `<name>.age`, hold no readable secret, are refused by `age -d` with a wrong passphrase
// and decrypt with the right one to exactly the plain files. The audit log stays plain. The
// encryption code (a worker with its own wasm) is fetched only when the first encrypted file is
// made, never at page load. Mismatched, empty and short passphrases are refused in plain words,
// and the batch stays.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST_DIR, startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { base32Decode, totp } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import { axeLedger, byTestId, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';
import { keyboardActivate, keyboardFill, parseCsv, pressAndFinish } from './lib/batch-driver.mjs';

const USERS = ['alice@example.com', 'bob@example.com'];
const T1 = '8659600000011'; // miniOTP-2-i
const T2 = '8659610000044'; // C301-i
const PASSPHRASE = 'correct horse battery staple';

let h;
let scratch;
before(async () => {
  h = await startHarness();
  scratch = await mkdtemp(join(tmpdir(), 'kiln-age-'));
});
after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Presses an export button (keyboard) and returns the downloaded file's name and bytes. */
async function downloadFile(page, kind) {
  const started = page.waitForEvent('download', { timeout: 60_000 });
  await keyboardActivate(page, `batch-export-${kind}`);
  const file = await started;
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

/**
 * `age -d` on `bytes` with `passphrase` typed at its prompt. age reads a passphrase only from a
 * terminal, so it runs under `script`, which gives it a pseudo-terminal fed from our pipe (as
 * crates/kiln-seal/tests/age_tool.rs does). Returns age's exit status and the decrypted bytes.
 */
async function ageDecrypt(name, bytes, passphrase) {
  const sealed = join(scratch, name);
  const opened = join(scratch, `${name}.out`);
  await rm(opened, { force: true });
  await writeFile(sealed, bytes);
  const child = spawn('script', ['-qec', `age -d -o '${opened}' '${sealed}'`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.stdin.end(`${passphrase}\n`);
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const plain = await readFile(opened).catch(() => Buffer.alloc(0));
  return { status, output, plain };
}

test('exports with seeds download as age files that the age tool opens to the plain files; the audit log stays plain; bad passphrases are refused', async (t) => {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: 'pn533', serial: T1 });
  const { page, problems, context } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 }, acceptDownloads: true },
    beforeLoad: (p) => installFakeUsb(p, sim, { reader: READERS.stickId }),
  });
  const workers = [];
  page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
  const sealWorkers = () => workers.filter((path) => /kiln-seal-worker/.test(path));
  // Every request of the page and its workers (answered by the network or the service worker).
  const sealRequests = [];
  context.on('request', (request) => /kiln-seal-worker/.test(request.url()) && !request.serviceWorker() && sealRequests.push(request.url()));
  await waitForScreen(page, 'secret');
  await keyboardActivate(page, 'tool-batch');
  await waitForScreen(page, 'batch');
  const axe = axeLedger(page);

  // Two new SHA-1 seeds for two users.
  await keyboardFill(page, 'batch-users', USERS.join('\n'));
  await keyboardActivate(page, 'connect-usb');
  await byTestId(page, 'reader-name').waitFor();
  await keyboardActivate(page, 'batch-start');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'batch-next');
  assert.equal(await pressAndFinish(page, () => page.keyboard.press('Enter')), 'ready');
  const first = (await sim.state()).token;
  await sim.replaceToken({ serial: T2 });
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'batch-next');
  assert.equal(await pressAndFinish(page, () => page.keyboard.press('Enter')), 'ready');
  const second = (await sim.state()).token;

  // The plain files: the reference. Their secrets are what the tokens hold.
  const plainCsv = await downloadFile(page, 'entra-csv');
  assert.equal(plainCsv.name, 'kiln-batch-entra.csv');
  const rows = parseCsv(plainCsv.bytes.toString('utf8'));
  assert.equal(rows.length, 3, 'header and two tokens');
  const secretAt = rows[0].indexOf('secret key');
  for (const [row, token] of [[rows[1], first], [rows[2], second]]) {
    assert.equal(totp(base32Decode(row[secretAt]), token.device_time), token.displayed_code);
  }
  const plainGraph = await downloadFile(page, 'graph-json');
  assert.equal(sealWorkers().length, 0, 'no encryption code is started before it is needed');
  assert.deepEqual(sealRequests, [], 'no encryption code is fetched by the page before it is needed');

  // Encryption on: the passphrase fields and how to open the files.
  await keyboardActivate(page, 'batch-encrypt', ' ');
  await byTestId(page, 'batch-passphrase').waitFor();
  assert.match(await byTestId(page, 'batch-export-panel').innerText(), /age -d kiln-batch-entra\.csv\.age > kiln-batch-entra\.csv/);
  await axe.check('encryption option');
  await shootBothWidths(page, 'batch-encrypt-option');

  // Refused passphrases: nothing is downloaded, the words say what to do, the batch stays.
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  const refusal = async () => {
    await keyboardActivate(page, 'batch-export-entra-csv');
    return byTestId(page, 'batch-export-error').innerText();
  };
  assert.match(await refusal(), /Type a passphrase/);
  await keyboardFill(page, 'batch-passphrase', 'short pass');
  await keyboardFill(page, 'batch-passphrase-again', 'short pass');
  assert.match(await refusal(), /too short: use at least 12 characters/);
  await keyboardFill(page, 'batch-passphrase', PASSPHRASE);
  await keyboardFill(page, 'batch-passphrase-again', `${PASSPHRASE}.`);
  assert.match(await refusal(), /The two passphrases differ/);
  assert.equal(downloads, 0, 'a refused passphrase saves nothing');
  assert.equal(await byTestId(page, 'batch-row').count(), 2, 'the batch is still there');

  // The right passphrase twice: an age file, opened by the age tool to exactly the plain CSV.
  await keyboardFill(page, 'batch-passphrase-again', PASSPHRASE);
  const sealedCsv = await downloadFile(page, 'entra-csv');
  assert.equal(sealedCsv.name, 'kiln-batch-entra.csv.age');
  assert.ok(sealedCsv.bytes.subarray(0, 32).toString('latin1').startsWith('age-encryption.org/v1\n-> scrypt '), 'an age file for a passphrase');
  for (const row of rows.slice(1)) {
    assert.equal(sealedCsv.bytes.includes(Buffer.from(row[secretAt])), false, 'no secret is readable');
  }
  assert.equal(sealWorkers().length, 1, 'the encryption worker was started for the file');
  assert.ok(sealRequests.some((url) => /kiln-seal-worker-[0-9a-f]{16}_bg\.wasm$/.test(url)), `the encryption wasm is fetched now: ${sealRequests}`);
  assert.match(await byTestId(page, 'batch-export-result').innerText(), /Entra CSV saved as kiln-batch-entra\.csv\.age/);
  await shootBothWidths(page, 'batch-encrypt-saved');

  const wrong = await ageDecrypt(sealedCsv.name, sealedCsv.bytes, 'correct horse battery stapler');
  assert.notEqual(wrong.status, 0, wrong.output);
  assert.equal(wrong.plain.length, 0, 'a wrong passphrase opens nothing');
  const opened = await ageDecrypt(sealedCsv.name, sealedCsv.bytes, PASSPHRASE);
  assert.equal(opened.status, 0, opened.output);
  assert.deepEqual(opened.plain, plainCsv.bytes, 'the decrypted file is the plain Entra CSV, byte for byte');

  // The Graph JSON too (a second worker, started for it).
  const sealedGraph = await downloadFile(page, 'graph-json');
  assert.equal(sealedGraph.name, 'kiln-batch-graph.json.age');
  const graph = await ageDecrypt(sealedGraph.name, sealedGraph.bytes, PASSPHRASE);
  assert.equal(graph.status, 0, graph.output);
  assert.deepEqual(graph.plain, plainGraph.bytes, 'the decrypted file is the plain Graph JSON');

  // Audit logs hold no secrets: they stay plain with encryption on.
  const audit = await downloadFile(page, 'audit-csv');
  assert.equal(audit.name, 'kiln-batch-audit.csv');
  assert.equal(parseCsv(audit.bytes.toString('utf8')).length, 1 + 2);

  // Wiping the batch takes the passphrase fields away.
  await keyboardActivate(page, 'batch-wipe');
  await byTestId(page, 'batch-table').waitFor({ state: 'detached' });
  assert.equal(await byTestId(page, 'batch-passphrase').count(), 0);
  problems.assertNone();
  axe.assertClean();
});

test('age is only in the on-demand worker: the app wasm loaded at first does not contain it', async (t) => {
  const files = await readdir(DIST_DIR);
  const one = (re) => {
    const found = files.filter((f) => re.test(f));
    assert.equal(found.length, 1, `${re}: ${found}`);
    return found[0];
  };
  const app = await readFile(join(DIST_DIR, one(/^kiln-web-[0-9a-f]+_bg\.wasm$/)));
  const worker = await readFile(join(DIST_DIR, one(/^kiln-seal-worker-[0-9a-f]{16}_bg\.wasm$/)));
  // The age header's version line is a constant of the age crate: where age is linked, it is there.
  const AGE_HEADER = Buffer.from('age-encryption.org/v1');
  assert.ok(worker.includes(AGE_HEADER), 'the seal worker links age');
  assert.equal(app.includes(AGE_HEADER), false, 'the app wasm does not link age');
  const index = await readFile(join(DIST_DIR, 'index.html'), 'utf8');
  const loader = index.match(/<meta name="kiln-seal-worker" content="\.\/(kiln-seal-worker-loader-[0-9a-f]{16}\.js)"/)?.[1];
  assert.ok(loader && files.includes(loader), 'the page names its build\'s seal worker start script');
  assert.doesNotMatch(index, /kiln-seal-worker-[0-9a-f]{16}(_bg\.wasm|\.js)/, 'the page itself loads no worker file');
  t.diagnostic(`app wasm ${app.length} B, seal worker wasm ${worker.length} B`);
});
