// The whole burn wizard in real Chromium, from a pasted Microsoft 365 enrollment link to a
// burned and verified token, through the WebUSB adapter and a simulated reader + token
// (kiln-sim over a fake navigator.usb). Every expectation is computed independently here: the
// seed from the Base32 (RFC 4648), the codes with node:crypto (RFC 6238), the token's state from
// the simulator. Every step is photographed at 1280 and 360 px and checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { base32Decode, totp } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import { startOver } from './lib/burn-flow.mjs';
import {
  assertPreviewMatchesRfc6238,
  axeLedger,
  byTestId,
  receivedInstructions,
  shootBothWidths,
  spaced,
  submitSecretText,
  waitForAttribute,
  waitForScreen,
} from './lib/wizard-driver.mjs';

/** What Microsoft 365's "authenticator app" page encodes in its QR code. */
const M365_URI =
  'otpauth://totp/Some+Company%3ame%40somecompany.net?secret=abcdefghijklmnop&issuer=Microsoft';
const M365_SEED = base32Decode('abcdefghijklmnop');
/** A seed from an earlier enrollment, which the burn must replace. */
const OLD_SEED_HEX = '0102030405060708090A0B0C0D0E0F1011121314';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/**
 * Runs the wizard end to end with `reader` (a READERS entry) and a token with `serial`.
 * `display` is the display timeout chosen on the review screen.
 */
async function burnAndVerify(t, { reader, serial, model, display, shotPrefix }) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: reader.sim, serial, seed_hex: OLD_SEED_HEX, clock_offset: -97 });
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => installFakeUsb(p, sim, { reader }),
  });
  const axe = axeLedger(page);
  const step = async (name) => {
    await shootBothWidths(page, `${shotPrefix}-${name}`);
    await axe.check(name);
  };

  // 1. Secret.
  await waitForScreen(page, 'secret');
  await step('1-secret');
  await submitSecretText(page, M365_URI);

  // 2. Review: what the URI says, decoded.
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'totp');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'me@somecompany.net');
  assert.equal(await byTestId(page, 'account-algorithm').innerText(), 'SHA1');
  assert.equal(await byTestId(page, 'account-digits').innerText(), '6');
  assert.equal(await byTestId(page, 'account-period').getAttribute('data-seconds'), '30');
  await byTestId(page, 'display-timeout').selectOption(String(display));
  await step('2-review');
  await byTestId(page, 'review-continue').click();

  // 3. Preview: the codes the token will show.
  await waitForScreen(page, 'preview');
  await assertPreviewMatchesRfc6238(page, M365_SEED);
  await step('3-preview');
  await byTestId(page, 'preview-continue').click();

  // 4. Reader.
  await waitForScreen(page, 'connect');
  await step('4-connect');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  assert.equal(await byTestId(page, 'reader-name').innerText(), reader.productName);
  await step('4-connected');
  await byTestId(page, 'connect-continue').click();

  // 5. Token: serial, model and the clock 97 s behind.
  await waitForScreen(page, 'identify');
  await step('5-identify');
  await byTestId(page, 'identify-token').click();
  await byTestId(page, 'token-serial').waitFor({ timeout: 15_000 });
  assert.equal(await byTestId(page, 'token-serial').innerText(), serial);
  assert.equal(await byTestId(page, 'token-model').innerText(), model);
  const offset = Number(await byTestId(page, 'token-clock-offset').getAttribute('data-offset'));
  assert.ok(offset >= -99 && offset <= -95, `clock offset ${offset} should be about -97 s`);
  assert.match(await byTestId(page, 'token-clock-offset').innerText(), /^1 min 3\d s behind this device$/);
  await step('5-identified');
  await byTestId(page, 'identify-continue').click();

  // 6. Burn.
  await waitForScreen(page, 'burn');
  await step('6-burn');
  await byTestId(page, 'burn').click();
  const outcome = await waitForAttribute(page, 'burn-status', 'data-state', ['success', 'failed', 'unknown']);
  assert.equal(outcome, 'success', await byTestId(page, 'burn-status').innerText());
  assert.match(await byTestId(page, 'burn-summary').innerText(), /new seed, its settings, and a clock set to this device/);
  await step('6-burned');

  // What the simulated token now holds, checked against this test's own decoding and RFC 6238.
  const { token } = await sim.state();
  assert.equal(token.serial, serial);
  // Protocol §5.1: seeds shorter than 20 bytes are zero-extended to 20 (HMAC zero-pads its key
  // anyway, RFC 2104, so the codes are those of the 10-byte seed: checked just below).
  const extended = Buffer.concat([M365_SEED, Buffer.alloc(20 - M365_SEED.length)]);
  assert.equal(token.seed_hex, extended.toString('hex').toUpperCase());
  assert.equal(token.algorithm, 'SHA1');
  assert.equal(token.period, 30);
  assert.equal(token.display_seconds, display);
  assert.ok(Math.abs(token.clock_offset) <= 2, `token clock offset after burn: ${token.clock_offset} s`);
  assert.equal(token.displayed_code, totp(M365_SEED, token.device_time));
  // Identify (GET INFO), then the burn: GET INFO, GET CHALLENGE, ANSWER, WRITE CONFIG, WRITE SEED.
  assert.deepEqual(receivedInstructions(token), ['41', '41', '4B', 'CE', 'D4', 'C5']);
  await byTestId(page, 'burn-continue').click();

  // 7. Verify: type what the token's display shows now.
  await waitForScreen(page, 'verify');
  await step('7-verify');
  // Five digits is not a code: the field says so and nothing is judged yet.
  await byTestId(page, 'verify-code').fill('12 345');
  await byTestId(page, 'verify-check').click();
  await page.getByRole('alert').filter({ hasText: 'Type the 6 digits shown on the token.' }).waitFor();
  assert.equal(await byTestId(page, 'verify-code').getAttribute('aria-invalid'), 'true');
  assert.equal(await byTestId(page, 'verify-result').getAttribute('data-state'), 'none', 'no verdict for a malformed code');
  const shown = (await sim.state()).token.displayed_code;
  await byTestId(page, 'verify-code').fill(spaced(shown));
  await byTestId(page, 'verify-check').click();
  assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'mismatch']), 'match');
  const steps = Number(await byTestId(page, 'verify-offset').getAttribute('data-offset'));
  assert.ok(steps === 0 || steps === -1, `verify offset ${steps} (0, or -1 across a step change)`);
  await step('7-verified');
  await byTestId(page, 'verify-continue').click();

  // 8. Done, then start over: everything about the secret is forgotten.
  await waitForScreen(page, 'done');
  await step('8-done');
  await startOver(page);
  for (const title of ['Review', 'Preview', 'Burn', 'Verify']) {
    const stepper = page.getByRole('navigation', { name: 'Burn steps' });
    const button = stepper.getByRole('button', { name: title, exact: true });
    assert.equal(await button.isDisabled(), true, `stepper "${title}" should be locked after start over`);
  }

  problems.assertNone();
  axe.assertClean();
}

test('a Microsoft 365 link burned through a PN533 reader (StickID) gives the token the RFC 6238 codes', async (t) => {
  await burnAndVerify(t, {
    reader: READERS.stickId,
    serial: '8659622000123',
    model: 'OTPC-P2-i',
    display: 60,
    shotPrefix: 'happy-pn533',
  });
});

test('the same burn through a CCID reader whose interface the browser lets the app claim (Isolated Web App)', async (t) => {
  await burnAndVerify(t, {
    reader: READERS.acr122u,
    serial: '8659600123456',
    model: 'miniOTP-2-i',
    display: 120,
    shotPrefix: 'happy-ccid',
  });
});

test('the Identify and Set-clock tools have no axe violations, and Set clock on an OTPC-P2-i erases the seed only after consent', async (t) => {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: 'pn533', serial: '8659622000456', seed_hex: OLD_SEED_HEX, clock_offset: 400 });
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: (p) => installFakeUsb(p, sim, { reader: READERS.stickId }),
  });
  const axe = axeLedger(page);
  await waitForScreen(page, 'secret');

  await byTestId(page, 'tool-identify').click();
  await waitForScreen(page, 'identify-tool');
  await shootBothWidths(page, 'tool-identify-1-start');
  await axe.check('identify tool');
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'identify-token').click();
  await byTestId(page, 'token-serial').waitFor({ timeout: 15_000 });
  assert.match(await byTestId(page, 'token-clock-offset').innerText(), /6 min 4\d s ahead/);
  await shootBothWidths(page, 'tool-identify-2-identified');
  await axe.check('identify tool, token read');

  await byTestId(page, 'tool-time-sync').click();
  await waitForScreen(page, 'time-sync-tool');
  await shootBothWidths(page, 'tool-time-sync-1-start');
  await axe.check('set-clock tool');
  // The token is still identified from the other tool; its model erases the seed on a clock
  // write, so nothing may happen before the user agrees.
  assert.equal(await byTestId(page, 'time-sync').isDisabled(), true);
  await byTestId(page, 'time-sync-ack').check();
  await byTestId(page, 'time-sync').click();
  assert.equal(await waitForAttribute(page, 'time-sync-result', 'data-state', ['success', 'failed', 'unknown']), 'success');
  await shootBothWidths(page, 'tool-time-sync-2-done');
  await axe.check('set-clock tool, done');
  const { token } = await sim.state();
  assert.ok(Math.abs(token.clock_offset) <= 2, `clock offset after sync: ${token.clock_offset}`);
  assert.equal(token.has_seed, false, 'an OTPC-P2-i erases its seed when its clock is set');
  assert.match(await byTestId(page, 'time-sync-result').innerText(), /erase/);

  problems.assertNone();
  axe.assertClean();
});
