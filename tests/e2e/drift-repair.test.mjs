// After the burn: the drift check and the repair that knows the model, in real Chromium with a
// simulated reader + token (kiln-sim). Simulated tokens run fast or slow by 0, ±40 and ±200 s on
// a restricted model (OTPC-P2-i: a clock write erases the seed) and an unrestricted one
// (miniOTP-2-i). The verdicts are computed here from the thresholds (one step: fine; up to two
// steps, Entra's window: worth fixing; beyond: refused), the token's state comes from the
// simulator, and the codes from RFC 6238 (reference-otp), never from the app.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { totp } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import { base32Encode } from './lib/burn-flow.mjs';
import {
  axeLedger,
  burnAndWait,
  byTestId,
  identifyToken,
  shootBothWidths,
  submitSecretText,
  waitForAttribute,
  waitForScreen,
} from './lib/wizard-driver.mjs';

const RESTRICTED = { name: 'OTPC-P2-i', prefix: '8659622' };
const UNRESTRICTED = { name: 'miniOTP-2-i', prefix: '8659600' };
const OFFSETS = [0, 40, -40, 200, -200];
const OLD_SEED_HEX = '0102030405060708090A0B0C0D0E0F1011121314';

/** The verdict for `offset` seconds at `period`, from the documented thresholds. */
function expectedVerdict(offset, period) {
  const off = Math.abs(offset);
  if (off <= period) return 'ok';
  if (off <= 2 * period) return 'fix';
  return 'refused';
}

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/** A fresh app with a simulated reader holding a token described by `token`. */
async function openWithToken(t, token) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: 'pn533', ...token });
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => installFakeUsb(p, sim, { reader: READERS.stickId }),
  });
  await waitForScreen(page, 'secret');
  return { sim, page, problems };
}

/** Reads the token and checks the drift check shown against the simulator's offset. */
async function assertDriftShown(page, { serial, offset, period, assumed }) {
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), serial);
  const shownOffset = Number(await byTestId(page, 'token-clock-offset').getAttribute('data-offset'));
  assert.ok(Math.abs(shownOffset - offset) <= 2, `offset shown ${shownOffset}, token runs ${offset}`);
  const status = byTestId(page, 'drift-status');
  assert.equal(await status.getAttribute('data-verdict'), expectedVerdict(offset, period), `${serial} at ${offset} s`);
  assert.equal(await status.getAttribute('data-period'), String(period));
  const sentence = await byTestId(page, 'drift-sentence').innerText();
  assert.match(sentence, /^Against this device’s clock|^Against this device's clock/);
  assert.doesNotMatch(sentence, /computer/);
  if (Math.abs(offset) > 2) assert.match(sentence, offset > 0 ? / ahead/ : / behind/);
  assert.match(await status.innerText(), /cannot know the true time/);
  // `assumed`: true when nothing names a period (30 s assumed), 'tool' when the Set-clock tool's
  // own period setting does, false in the wizard (the account's).
  assert.equal(await byTestId(page, 'drift-assumed-period').count(), assumed === true ? 1 : 0);
  assert.equal(await byTestId(page, 'drift-tool-period').count(), assumed === 'tool' ? 1 : 0);
}

test('Identify shows the verdict for 0, ±40 and ±200 s on both kinds of model', async (t) => {
  const cases = [];
  for (const model of [RESTRICTED, UNRESTRICTED]) {
    OFFSETS.forEach((offset, i) => cases.push({ model, offset, serial: `${model.prefix}00010${i}` }));
  }
  const first = cases[0];
  const { sim, page, problems } = await openWithToken(t, { serial: first.serial, clock_offset: first.offset });
  const axe = axeLedger(page);
  await byTestId(page, 'tool-identify').click();
  await waitForScreen(page, 'identify-tool');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  for (const c of cases) {
    if (c !== first) await sim.replaceToken({ serial: c.serial, seed_hex: OLD_SEED_HEX, clock_offset: c.offset });
    await assertDriftShown(page, { serial: c.serial, offset: c.offset, period: 30, assumed: true });
    assert.equal(await byTestId(page, 'token-model').innerText(), c.model.name);
    if (c.model === RESTRICTED && [0, 40, -200].includes(c.offset)) {
      await shootBothWidths(page, `drift-identify-${c.offset}`);
      await axe.check(`identify, ${c.offset} s`);
    }
  }
  problems.assertNone();
  axe.assertClean();
});

test('Set clock on an unrestricted model keeps the seed and puts the codes back on time', async (t) => {
  const serial = `${UNRESTRICTED.prefix}000201`;
  const { sim, page, problems } = await openWithToken(t, { serial, seed_hex: OLD_SEED_HEX, clock_offset: 200 });
  const axe = axeLedger(page);
  await byTestId(page, 'tool-time-sync').click();
  await waitForScreen(page, 'time-sync-tool');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await assertDriftShown(page, { serial, offset: 200, period: 30, assumed: 'tool' });
  const plan = byTestId(page, 'repair-plan');
  assert.equal(await plan.getAttribute('data-repair'), 'set_clock');
  const consequence = await byTestId(page, 'repair-consequence').innerText();
  assert.match(consequence, /miniOTP-2-i/);
  assert.match(consequence, /keeps its seed/);
  assert.equal(await byTestId(page, 'repair-reburn').count(), 0, 'no re-burn is offered');
  assert.equal(await byTestId(page, 'time-sync-ack').count(), 0, 'nothing to acknowledge');
  await shootBothWidths(page, 'drift-set-clock-unrestricted');
  await axe.check('set clock, unrestricted');
  await byTestId(page, 'time-sync').click();
  assert.equal(await waitForAttribute(page, 'time-sync-result', 'data-state', ['success', 'failed', 'unknown']), 'success');
  const { token } = await sim.state();
  assert.ok(Math.abs(token.clock_offset) <= 2, `clock offset after the repair: ${token.clock_offset}`);
  assert.equal(token.has_seed, true);
  assert.equal(token.seed_hex, OLD_SEED_HEX, 'the seed stayed');
  const seed = Buffer.from(OLD_SEED_HEX, 'hex');
  assert.equal(token.displayed_code, totp(seed, token.device_time), 'RFC 6238 code on the token');
  const now = Date.now() / 1000;
  assert.ok(
    [now - 1, now, now + 1].some((s) => totp(seed, s) === token.displayed_code),
    'the token’s code is the code for this moment',
  );
  assert.equal(await byTestId(page, 'drift-status').getAttribute('data-verdict'), 'ok', 'the card shows the new clock');
  problems.assertNone();
  axe.assertClean();
});

test('Set clock judges the drift for its own period setting, which starts at the account’s', async (t) => {
  const serial = `${UNRESTRICTED.prefix}000202`;
  // 45 s fast: worth fixing for a 30 s token, fine for a 60 s one.
  const { page, problems } = await openWithToken(t, { serial, seed_hex: OLD_SEED_HEX, clock_offset: 45 });
  // A 60 s SHA-256 account typed in the wizard (not burned): Set clock starts with its settings.
  const seed = Buffer.from('3132333435363738393031323334353637383930', 'hex');
  await submitSecretText(page, `otpauth://totp/Clock%20Test:p%40example.org?secret=${base32Encode(seed)}&issuer=Clock%20Test&algorithm=SHA256&period=60`);
  await byTestId(page, 'tool-time-sync').click();
  await waitForScreen(page, 'time-sync-tool');
  assert.equal(await byTestId(page, 'time-sync-period').inputValue(), '60', 'the account’s period first');
  assert.equal(await page.locator('#sync-algorithm').inputValue(), 'SHA256', 'the account’s algorithm first');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await assertDriftShown(page, { serial, offset: 45, period: 60, assumed: 'tool' });
  assert.match(await byTestId(page, 'drift-tool-period').innerText(), /60 s token/);
  // The user says the token runs 30 s steps: the verdict follows at once.
  await byTestId(page, 'time-sync-period').selectOption('30');
  await page.waitForFunction(() => document.querySelector('[data-testid="drift-status"]')?.dataset.period === '30');
  assert.equal(await byTestId(page, 'drift-status').getAttribute('data-verdict'), expectedVerdict(45, 30));
  assert.match(await byTestId(page, 'drift-tool-period').innerText(), /30 s token/);
  await shootBothWidths(page, 'drift-set-clock-period');
  problems.assertNone();
});

test('A restricted model is repaired by burning the same secret again through the wizard', async (t) => {
  const serial = `${RESTRICTED.prefix}000301`;
  // The token holds an account burned long ago (60 s steps) and runs 200 s slow.
  const seed = Buffer.from('3132333435363738393031323334353637383930', 'hex');
  const uri = `otpauth://totp/Repair%20Test:drift%40example.org?secret=${base32Encode(seed)}&issuer=Repair%20Test&period=60`;
  const { sim, page, problems } = await openWithToken(t, {
    serial,
    seed_hex: seed.toString('hex').toUpperCase(),
    period: 60,
    clock_offset: -200,
  });
  const axe = axeLedger(page);
  await byTestId(page, 'tool-time-sync').click();
  await waitForScreen(page, 'time-sync-tool');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await assertDriftShown(page, { serial, offset: -200, period: 30, assumed: 'tool' });
  assert.equal(await byTestId(page, 'repair-plan').getAttribute('data-repair'), 'reburn');
  const consequence = await byTestId(page, 'repair-consequence').innerText();
  assert.match(consequence, /^Setting the clock of an OTPC-P2-i erases its seed/);
  assert.match(consequence, /same secret/);
  assert.match(await byTestId(page, 'repair-plan').innerText(), /no seed/);
  assert.equal(await byTestId(page, 'time-sync').isDisabled(), true, 'setting only the clock needs consent');
  await shootBothWidths(page, 'drift-set-clock-restricted');
  await axe.check('set clock, restricted');

  await byTestId(page, 'repair-reburn').click();
  await waitForScreen(page, 'secret');
  await submitSecretText(page, uri);
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  // The wizard knows the account: the verdict is for its 60 s steps.
  await assertDriftShown(page, { serial, offset: -200, period: 60, assumed: false });
  await shootBothWidths(page, 'drift-wizard-token');
  await axe.check('wizard token step, drift');
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
  assert.equal(await burnAndWait(page), 'success', await byTestId(page, 'burn-status').innerText());

  const { token } = await sim.state();
  assert.equal(token.has_seed, true);
  assert.equal(token.seed_hex, seed.toString('hex').toUpperCase(), 'the same seed again');
  assert.ok(Math.abs(token.clock_offset) <= 2, `clock offset after the re-burn: ${token.clock_offset}`);
  assert.equal(token.displayed_code, totp(seed, token.device_time, { period: 60 }), 'RFC 6238 code on the token');
  const now = Date.now() / 1000;
  assert.ok(
    [now - 1, now, now + 1].some((s) => totp(seed, s, { period: 60 }) === token.displayed_code),
    'the token’s code is the code for this moment',
  );
  problems.assertNone();
  axe.assertClean();
});
