// Issue #18 (last part): a Token2 Molto2 in the web app through the real `kiln bridge`:
// Chromium → WebSocket → kiln bridge → pcscd → vpcd → the simulated Molto2 (kiln-sim-vpcd
// --molto2). Expectations come from the simulator's view of the device and RFC 6238
// (reference-otp), never from the app.
//
// Needs the Molto2 reader: scripts/test.sh runs this file on its own, under
// `flock -o /tmp/kiln-vpcd.lock`, after `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh`, and
// restores the plain pcscd afterwards.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { totp } from './lib/reference-otp.mjs';
import { base32Encode } from './lib/burn-flow.mjs';
import { MOLTO2_READER, startKilnBridge, startVpcdMolto2 } from './lib/bridge-rig.mjs';
import { axeLedger, byTestId, shootBothWidths, submitSecretText, waitForScreen } from './lib/wizard-driver.mjs';

let h;
let origin;
before(async () => {
  h = await startHarness();
  origin = new URL(h.url).origin;
});
after(() => h?.close());

const SERIAL = '202600000001234';

/** An account whose label ("Acme — bo", 11 bytes) fits a Molto2 title as it is. */
function shortAccount() {
  const seed = randomBytes(20);
  const base32 = base32Encode(seed);
  return { seed, hex: seed.toString('hex'), uri: `otpauth://totp/Acme:bo?secret=${base32}&issuer=Acme` };
}

/** Pastes the account and goes to the Reader step. */
async function reachReaderStep(page, account) {
  await waitForScreen(page, 'secret', 30_000);
  await submitSecretText(page, account.uri);
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
}

/** Connects and pairs with the bridge, then opens the Molto2 panel and waits for its table. */
async function openMolto2(page, bridge) {
  await page.getByText('The bridge runs on another port').click();
  await byTestId(page, 'bridge-address').fill(bridge.address);
  await byTestId(page, 'connect-bridge').click();
  await page.locator('[data-testid="bridge-choice"][data-stage="code"]').waitFor({ timeout: 20_000 });
  await byTestId(page, 'bridge-code').fill(await bridge.code());
  await byTestId(page, 'bridge-pair').click();
  const listed = page.locator(`[data-testid="bridge-reader"][data-name="${MOLTO2_READER}"]`);
  await listed.waitFor({ timeout: 20_000 });
  assert.equal(await listed.locator('[data-testid="bridge-choose"]').count(), 0, 'a Molto2 is not offered to the single-profile wizard');
  await listed.locator('[data-testid="bridge-molto2"]').click();
  await idle(page);
  await byTestId(page, 'molto2-table').waitFor();
}

/** Waits until the Molto2 panel runs nothing (reads and writes finished). */
async function idle(page) {
  await page.locator('[data-testid="molto2-panel"][data-activity="idle"]').waitFor({ timeout: 60_000 });
}

/** The result box once its headline is `headline`; returns its kind and text. */
async function resultTitled(page, headline) {
  const box = page.locator('[data-testid="molto2-result"]', { hasText: headline });
  await box.waitFor({ timeout: 60_000 });
  await idle(page);
  return { kind: await box.getAttribute('data-kind'), text: (await box.innerText()).trim() };
}

const row = (page, number) => page.locator(`[data-testid="molto2-profile"][data-number="${number}"]`);
const profileOf = (state, number) => state.molto2.profiles[number];

test('the profile table, a burn into a free profile, erasing a profile and setting the clock, on the simulated Molto2', async (t) => {
  const device = await startVpcdMolto2({ serial: SERIAL, clockOffset: -90, profiles: { 3: 'Old VPN' } });
  t.after(() => device.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const account = shortAccount();
  const { page, problems } = await h.openApp();
  const axe = axeLedger(page);
  await reachReaderStep(page, account);
  await openMolto2(page, bridge);

  // The table is the device's, row for row.
  const before = await device.state();
  assert.equal(await byTestId(page, 'molto2-table').getAttribute('data-serial'), before.molto2.serial);
  assert.equal(await byTestId(page, 'molto2-profile').count(), before.molto2.profiles.length);
  for (const number of [0, 3, 99]) {
    const expected = profileOf(before, number);
    assert.equal(await row(page, number).getAttribute('data-occupied'), String(expected.occupied), `profile ${number}`);
    assert.equal(await row(page, number).getAttribute('data-title'), expected.title, `profile ${number}`);
  }
  assert.match(await row(page, 3).innerText(), /Old VPN\s+SHA1\s+30 s\s+6\s+yes/);
  assert.match(await byTestId(page, 'molto2-device').innerText(), /9[0-2] s behind/);
  await shootBothWidths(page, 'molto2-table');
  await axe.check('Molto2 profile table');

  // Burn the wizard's account into free profile 5 with the default title (the account label).
  await row(page, 5).locator('[data-testid="molto2-choose"]').click();
  assert.equal(await byTestId(page, 'molto2-title').inputValue(), 'Acme — bo');
  assert.equal(await byTestId(page, 'molto2-burn-account').innerText(), 'Acme — bo');
  await shootBothWidths(page, 'molto2-burn-form');
  await axe.check('Molto2 burn form');
  await byTestId(page, 'molto2-burn').click();
  const burned = await resultTitled(page, 'profile 5');
  assert.equal(burned.kind, 'done', burned.text);
  const afterBurn = await device.state();
  const five = profileOf(afterBurn, 5);
  assert.equal(five.seed_hex, account.hex, 'profile 5 holds the account seed');
  assert.equal(five.title, 'Acme — bo');
  assert.deepEqual([five.algorithm, five.period, five.digits], ['SHA1', 30, 6]);
  assert.equal(five.displayed_code, totp(account.seed, afterBurn.molto2.device_time), 'the Molto2 shows the RFC 6238 code');
  assert.ok(Math.abs(afterBurn.molto2.device_time - Date.now() / 1000) < 5, 'the burn set the clock to now');
  assert.equal(profileOf(afterBurn, 3).seed_hex, profileOf(before, 3).seed_hex, 'profile 3 untouched');
  assert.equal(await row(page, 5).getAttribute('data-occupied'), 'true', 'the table was read again');
  await shootBothWidths(page, 'molto2-burned');

  // Erase profile 3, after the confirmation that names it.
  await row(page, 3).locator('[data-testid="molto2-erase"]').click();
  const confirm = byTestId(page, 'molto2-erase-confirm');
  assert.match(await confirm.innerText(), /Profile 3 ‘Old VPN’ will be erased; this cannot be undone/);
  assert.equal((await device.state()).molto2.profiles[3].occupied, true, 'nothing erased before the confirmation');
  await shootBothWidths(page, 'molto2-erase-confirm');
  await byTestId(page, 'molto2-erase-yes').click();
  const erased = await resultTitled(page, 'Profile 3 erased');
  assert.equal(erased.kind, 'done', erased.text);
  const afterErase = await device.state();
  assert.equal(profileOf(afterErase, 3).seed_hex, null, 'profile 3 has no seed');
  assert.equal(profileOf(afterErase, 5).seed_hex, account.hex, 'profile 5 still holds the burned seed');
  assert.equal(await row(page, 3).getAttribute('data-occupied'), 'false');

  // The clock through one profile, then through all.
  const syncsBefore = afterErase.molto2.executed.filter((ins) => ins === 'WriteConfig').length;
  await row(page, 5).locator('[data-testid="molto2-sync"]').click();
  const one = await resultTitled(page, 'Clock set through profile 5');
  assert.equal(one.kind, 'done', one.text);
  await byTestId(page, 'molto2-sync-all').click();
  const all = await resultTitled(page, 'Clock set through every profile');
  assert.equal(all.kind, 'done', all.text);
  const synced = await device.state();
  assert.ok(Math.abs(synced.molto2.device_time - Date.now() / 1000) < 5, 'the Molto2 clock is now');
  const syncs = synced.molto2.executed.filter((ins) => ins === 'WriteConfig').length - syncsBefore;
  assert.equal(syncs, 1 + synced.molto2.profiles.length, 'one time write, then one per profile');
  assert.equal(profileOf(synced, 5).seed_hex, account.hex, 'setting the clock kept the seed');
  await shootBothWidths(page, 'molto2-synced');

  assert.doesNotMatch(bridge.stdout() + bridge.stderr(), new RegExp(account.hex, 'i'), 'no seed in the bridge log');
  axe.assertClean();
  problems.assertNone();
});

test('a wrong customer key is tried once, nothing is written, and the page says how many attempts are left', async (t) => {
  const device = await startVpcdMolto2({ serial: SERIAL });
  t.after(() => device.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const account = shortAccount();
  const { page, problems } = await h.openApp();
  await reachReaderStep(page, account);
  await openMolto2(page, bridge);
  const before = await device.state();

  await page.getByText('The Molto2 has its own customer key').click();
  await byTestId(page, 'molto2-key').fill('NOT-THE-KEY');
  await row(page, 7).locator('[data-testid="molto2-choose"]').click();
  await byTestId(page, 'molto2-burn').click();
  const refused = await resultTitled(page, 'Profile 7 was not burned');
  assert.equal(refused.kind, 'failed', refused.text);
  const after = await device.state();
  assert.equal(after.molto2.attempts_left, before.molto2.attempts_left - 1, 'one attempt, never retried');
  assert.match(refused.text, new RegExp(`says ${after.molto2.attempts_left} attempt\\(s\\) are left`), refused.text);
  assert.match(refused.text, /Nothing was written/);
  assert.equal(profileOf(after, 7).occupied, false);
  assert.ok(!after.molto2.executed.includes('WriteSeed'), `no seed write: ${after.molto2.executed}`);
  await shootBothWidths(page, 'molto2-wrong-key');
  problems.assertNone();
});

test('without an account the free profile points to the Secret step; a single-profile path never reaches the Molto2', async (t) => {
  const device = await startVpcdMolto2({ serial: SERIAL });
  t.after(() => device.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const { page, problems } = await h.openApp();
  await waitForScreen(page, 'secret', 30_000);
  await byTestId(page, 'tool-identify').click();
  await openMolto2(page, bridge);
  await row(page, 2).locator('[data-testid="molto2-choose"]').click();
  assert.match(await byTestId(page, 'molto2-no-account').innerText(), /Secret step/);
  assert.equal(await byTestId(page, 'molto2-burn').count(), 0, 'no burn without an account');
  await shootBothWidths(page, 'molto2-no-account');
  const { molto2 } = await device.state();
  assert.ok(!molto2.executed.some((ins) => ins !== 'Read'), `only reads: ${molto2.executed}`);
  problems.assertNone();
});

test('another Molto2 plugged in after the table was read gets nothing: the old table and its results go', async (t) => {
  const first = await startVpcdMolto2({ serial: SERIAL, profiles: { 4: 'Mail' } });
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const account = shortAccount();
  const { page, problems } = await h.openApp();
  await reachReaderStep(page, account);
  await openMolto2(page, bridge);
  await row(page, 4).locator('[data-testid="molto2-sync"]').click();
  assert.equal((await resultTitled(page, 'Clock set through profile 4')).kind, 'done');

  // The first Molto2 leaves; another one (another serial) takes the reader.
  first.close();
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // it leaves vpcd's slot
  const other = '202600000009999';
  const second = await startVpcdMolto2({ serial: other });
  t.after(() => second.close());
  await row(page, 6).locator('[data-testid="molto2-choose"]').click();
  const error = byTestId(page, 'molto2-error');
  // Right after the swap pcscd may not report the new card yet: the page then says "No token is
  // on the reader" and sends nothing, and the user presses Burn again, as this does.
  for (let attempt = 0; ; attempt += 1) {
    await byTestId(page, 'molto2-burn').click();
    await error.waitFor({ timeout: 60_000 });
    await idle(page);
    if (!/No token is on the reader/.test(await error.innerText()) || attempt === 10) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.match(await error.innerText(), new RegExp(other), 'the error names the Molto2 found');
  assert.equal(await byTestId(page, 'molto2-table').count(), 0, 'the first Molto2’s table is no longer shown');
  assert.equal(await byTestId(page, 'molto2-result').count(), 0, 'nor its results');
  const { molto2 } = await second.state();
  assert.ok(!molto2.executed.some((ins) => ins !== 'Read'), `only GET INFO reached the other Molto2: ${molto2.executed}`);
  assert.ok(molto2.profiles.every((p) => !p.occupied), 'nothing was written to it');
  await shootBothWidths(page, 'molto2-other-device');
  problems.assertNone();
});
