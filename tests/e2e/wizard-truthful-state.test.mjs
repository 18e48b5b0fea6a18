// Issue #13 "Truthful state everywhere", in real Chromium over the WebUSB adapter and the
// simulated reader + token (kiln-sim). A burn result belongs to its token, account and settings:
// after any change of course (another secret typed, another export account picked, another
// token read, a seed-wiping clock write), the Burn step is not "burned", Verify and Done say
// nothing about the new account, and burning again really writes the new seed (checked on the
// simulated token against this file's own RFC 6238). Also: the Verify verdicts at 0, ±1, ±3 and
// ±12 steps, and an authentication whose answer was garbled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { MIGRATION, base32Decode, migrationUri, totp } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import {
  burnAndWait,
  byTestId,
  identifyToken,
  reachBurnStep,
  receivedInstructions,
  shootBothWidths,
  spaced,
  submitSecretText,
  waitForAttribute,
  waitForScreen,
} from './lib/wizard-driver.mjs';

const FIRST = {
  uri: 'otpauth://totp/Contoso:ana%40contoso.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Contoso',
  seed: base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
};
const SECOND = {
  uri: 'otpauth://totp/Fabrikam:ben%40fabrikam.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Fabrikam',
  seed: base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
};
const OLD_SEED_HEX = 'A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4';
/** OTPC-P2-i: a clock write erases its seed. */
const RESTRICTED_SERIAL = '8659622000777';
/** Another OTPC-P2-i. */
const OTHER_SERIAL = '8659622000888';

/** The seed as the token stores it: zero-extended to 20 bytes (protocol §5.1). */
const stored = (seed) => Buffer.concat([seed, Buffer.alloc(Math.max(0, 20 - seed.length))]).toString('hex').toUpperCase();

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

async function open(t, { serial = RESTRICTED_SERIAL } = {}) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: 'pn533', serial, seed_hex: OLD_SEED_HEX });
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => installFakeUsb(p, sim, { reader: READERS.stickId }),
  });
  return { sim, page, problems };
}

const stepperButton = (page, title) =>
  page.getByRole('navigation', { name: 'Burn steps' }).getByRole('button', { name: title, exact: true });

/** Burns and checks the simulated token holds `seed` and shows its RFC 6238 code. */
async function burnAndCheckToken(page, sim, seed) {
  assert.equal(await burnAndWait(page), 'success', await byTestId(page, 'burn-status').innerText());
  const { token } = await sim.state();
  assert.equal(token.seed_hex, stored(seed), 'the token holds the seed just burned');
  assert.equal(token.displayed_code, totp(seed, token.device_time), 'RFC 6238 code on the token');
}

/** The Burn step shows no earlier result: idle, Burn enabled, nothing "burned". */
async function assertFreshBurnStep(page, what) {
  await waitForScreen(page, 'burn');
  assert.equal(await byTestId(page, 'burn-status').getAttribute('data-state'), 'idle', what);
  const burn = byTestId(page, 'burn');
  assert.equal(await burn.isDisabled(), false, `${what}: Burn is enabled again`);
  assert.equal((await burn.innerText()).trim(), 'Burn', what);
  assert.doesNotMatch(await page.locator('main').innerText(), /The token is burned|Burned/, what);
  assert.equal(await byTestId(page, 'burn-continue').isDisabled(), true, `${what}: no way on to Verify`);
  for (const title of ['Verify', 'Done']) {
    assert.equal(await stepperButton(page, title).isDisabled(), true, `${what}: stepper "${title}" is locked`);
  }
}

/** From the Review step on: preview, reader (still connected), token (still identified), burn. */
async function walkFromReviewToBurn(page) {
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
}

test('a new secret typed after a burn: the Burn step is not "burned" for it, Verify/Done are locked, and burning writes the new seed', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, FIRST.uri), 'burn');
  await burnAndCheckToken(page, sim, FIRST.seed);
  assert.equal(await stepperButton(page, 'Verify').isDisabled(), false, 'Verify opens after the burn');

  await stepperButton(page, 'Secret').click();
  await waitForScreen(page, 'secret');
  await submitSecretText(page, SECOND.uri);
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Fabrikam');
  for (const title of ['Verify', 'Done']) {
    assert.equal(await stepperButton(page, title).isDisabled(), true, `stepper "${title}" locked for the new account`);
  }
  await walkFromReviewToBurn(page);
  await assertFreshBurnStep(page, 'after a new secret');
  await shootBothWidths(page, 'truth-new-secret-burn-step');
  // The token still holds the first seed: nothing was written for the new account yet.
  assert.equal((await sim.state()).token.seed_hex, stored(FIRST.seed));

  await burnAndCheckToken(page, sim, SECOND.seed);
  await byTestId(page, 'burn-continue').click();
  await waitForScreen(page, 'verify');
  const shown = (await sim.state()).token.displayed_code;
  await byTestId(page, 'verify-code').fill(spaced(shown));
  await byTestId(page, 'verify-check').click();
  assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'warning', 'mismatch']), 'match');
  problems.assertNone();
});

test('another account picked from an export after a burn: not "burned", Verify/Done locked, and burning writes that account', async (t) => {
  const { sim, page, problems } = await open(t);
  const alice = Buffer.from('12345678901234567890');
  const octocat = Buffer.from('48656C6C6F21DEADBEEF', 'hex');
  const uri = migrationUri([
    { secret: alice, name: 'alice@example.com', issuer: 'Example', algorithm: MIGRATION.algorithm.sha1, digits: MIGRATION.digits.six, type: MIGRATION.type.totp },
    { secret: octocat, name: 'octocat', issuer: 'GitHub', algorithm: MIGRATION.algorithm.sha1, digits: MIGRATION.digits.six, type: MIGRATION.type.totp },
  ]);
  await submitSecretText(page, uri);
  await byTestId(page, 'migration-account-1').check();
  await byTestId(page, 'review-continue').click();
  await byTestId(page, 'preview-continue').click();
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await byTestId(page, 'connect-continue').click();
  await identifyToken(page);
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
  await burnAndCheckToken(page, sim, alice);

  await stepperButton(page, 'Review').click();
  await waitForScreen(page, 'review');
  await byTestId(page, 'migration-account-2').check();
  assert.equal(await byTestId(page, 'account-name').innerText(), 'octocat');
  for (const title of ['Verify', 'Done']) {
    assert.equal(await stepperButton(page, title).isDisabled(), true, `stepper "${title}" locked for the other account`);
  }
  await walkFromReviewToBurn(page);
  await assertFreshBurnStep(page, 'after picking another export account');
  await burnAndCheckToken(page, sim, octocat);
  problems.assertNone();
});

test('another token read after a burn: the burn was about the first token, so the Burn step is fresh and burning writes the second', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, FIRST.uri), 'burn');
  await burnAndCheckToken(page, sim, FIRST.seed);

  // Another token on the reader: the simulator's new device, with an old seed of its own.
  await sim.device({ reader: 'pn533', serial: OTHER_SERIAL, seed_hex: OLD_SEED_HEX });
  await stepperButton(page, 'Token').click();
  await waitForScreen(page, 'identify');
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), OTHER_SERIAL);
  for (const title of ['Verify', 'Done']) {
    assert.equal(await stepperButton(page, title).isDisabled(), true, `stepper "${title}" locked for the other token`);
  }
  await byTestId(page, 'identify-continue').click();
  await assertFreshBurnStep(page, 'after reading another token');
  assert.equal((await sim.state()).token.seed_hex, OLD_SEED_HEX, 'the second token was not written yet');
  await burnAndCheckToken(page, sim, FIRST.seed);
  problems.assertNone();
});

test('a seed-wiping clock write (Set-clock tool, OTPC-P2-i) after a burn: the burn no longer holds; burning again writes the seed back', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, FIRST.uri), 'burn');
  await burnAndCheckToken(page, sim, FIRST.seed);
  await byTestId(page, 'burn-continue').click();
  await waitForScreen(page, 'verify');

  await byTestId(page, 'tool-time-sync').click();
  await waitForScreen(page, 'time-sync-tool');
  await byTestId(page, 'time-sync-ack').check();
  await byTestId(page, 'time-sync').click();
  assert.equal(await waitForAttribute(page, 'time-sync-result', 'data-state', ['success', 'failed', 'unknown']), 'success');
  assert.equal((await sim.state()).token.has_seed, false, 'the clock write erased the seed');

  await page.getByRole('button', { name: 'Burn', exact: true }).first().click();
  await waitForScreen(page, 'secret');
  for (const title of ['Verify', 'Done']) {
    assert.equal(await stepperButton(page, title).isDisabled(), true, `stepper "${title}" locked after the seed was erased`);
  }
  await stepperButton(page, 'Burn').click();
  await assertFreshBurnStep(page, 'after a seed-wiping clock write');
  await shootBothWidths(page, 'truth-clock-wipe-burn-step');
  await burnAndCheckToken(page, sim, FIRST.seed);
  problems.assertNone();
});

/** Waits until the current 30 s step has at least `margin` s left, so k steps stay k steps. */
async function awayFromStepBoundary(page, margin = 6) {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 30 - margin) await page.waitForTimeout((30 - intoStep + 0.5) * 1000);
}

test('verify: the code shown, ±1 step work, ±3 steps warn that the clock did not take, ±12 steps do not match; editing clears the verdict', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, FIRST.uri), 'burn');
  await burnAndCheckToken(page, sim, FIRST.seed);
  await byTestId(page, 'burn-continue').click();
  await waitForScreen(page, 'verify');

  const cases = [
    [0, 'match'],
    [1, 'match'],
    [-1, 'match'],
    [3, 'warning'],
    [-3, 'warning'],
    [12, 'mismatch'],
    [-12, 'mismatch'],
  ];
  for (const [steps, expected] of cases) {
    await awayFromStepBoundary(page);
    const { token } = await sim.state();
    // Step 0 is what the simulated token displays (checked against RFC 6238); the others are
    // the RFC 6238 codes `steps` periods away from now.
    const code = steps === 0 ? token.displayed_code : totp(FIRST.seed, Date.now() / 1000 + steps * 30);
    if (steps === 0) assert.equal(code, totp(FIRST.seed, token.device_time));
    await byTestId(page, 'verify-code').fill(spaced(code));
    assert.equal(await byTestId(page, 'verify-result').getAttribute('data-state'), 'none', 'no verdict before Check');
    await byTestId(page, 'verify-check').click();
    const state = await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'warning', 'mismatch']);
    assert.equal(state, expected, `code ${steps} steps away`);
    if (expected !== 'mismatch') {
      assert.equal(Number(await byTestId(page, 'verify-offset').getAttribute('data-offset')), steps);
    }
    if (steps === 3) {
      const text = await byTestId(page, 'verify-result').innerText();
      assert.match(text, /clock did not take/);
      assert.match(text, /burn again/i);
      assert.match(text, /this device’s clock/);
      await shootBothWidths(page, 'truth-verify-warning');
    }
    if (steps === 12) {
      assert.match(await byTestId(page, 'verify-result').innerText(), /Likely causes/);
      await shootBothWidths(page, 'truth-verify-mismatch');
    }
    // Any edit makes the verdict about a code that is no longer there.
    await byTestId(page, 'verify-code').press('End');
    await byTestId(page, 'verify-code').press('Backspace');
    assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['none'], 5_000), 'none', 'verdict cleared on edit');
  }
  problems.assertNone();
});

test('a garbled answer to ANSWER CHALLENGE: explained like a refusal, one authentication only, and "Burn again" is a plain button after the explanation', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, FIRST.uri), 'burn');
  await sim.fault({ ins: 'answer_challenge', fault: 'garbage_after', hex: '00' });
  assert.equal(await burnAndWait(page), 'failed');

  const advice = byTestId(page, 'burn-auth-advice');
  await advice.waitFor();
  const text = await advice.innerText();
  assert.match(text, /may count a failed authentication/);
  assert.match(text, /Take the token off the reader/);
  assert.match(text, /Read it again/);
  const burn = byTestId(page, 'burn');
  assert.equal(await burn.count(), 1, 'one Burn button');
  assert.equal((await burn.innerText()).trim(), 'Burn again');
  assert.doesNotMatch(await burn.getAttribute('class'), /button-primary/, 'not the inviting primary button');
  const textBeforeButton = await page.evaluate(() => {
    const paragraph = document.querySelector('[data-testid="burn-auth-advice"] p');
    const button = document.querySelector('[data-testid="burn"]');
    return Boolean(paragraph.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(textBeforeButton, 'the explanation comes before the button');
  await shootBothWidths(page, 'truth-auth-garbled');

  await page.waitForTimeout(500); // a retry, if any, would have happened by now
  let { token } = await sim.state();
  assert.equal(receivedInstructions(token).filter((ins) => ins === 'CE').length, 1, 'one ANSWER CHALLENGE');
  assert.equal(token.seed_hex, OLD_SEED_HEX, 'nothing written');

  // The user read it and asks again: one more authentication, and the burn completes.
  await burn.click();
  assert.equal(await waitForAttribute(page, 'burn-status', 'data-state', ['success', 'failed', 'unknown'], 40_000), 'success');
  ({ token } = await sim.state());
  assert.equal(token.seed_hex, stored(FIRST.seed));
  assert.equal(receivedInstructions(token).filter((ins) => ins === 'CE').length, 2);
  problems.assertNone();
});
