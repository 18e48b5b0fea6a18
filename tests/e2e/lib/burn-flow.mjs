// One complete burn for the privacy, offline and nginx tests: a fresh random account pasted as
// an otpauth:// link, the secret revealed and hidden once on the review (so the Base32 text has
// been in the DOM and in WASM memory), preview, reader, token, burn, verify, and start over.
// The steps are wizard-driver's; the expectations come from the simulator's state and
// reference-otp (RFC 6238), never from the app.
//
//   const account = randomAccount();
//   await sim.device(SIM_TOKEN);
//   …open the app with installFakeUsb(page, sim, { reader: READERS.stickId })…
//   await burnAndVerify(page, sim, account);   // ends on the Done screen
//   await startOver(page);                      // ends on an empty Secret screen
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base32Decode, totp } from './reference-otp.mjs';
import { byTestId, burnAndWait, reachBurnStep, spaced, waitForAttribute, waitForScreen } from './wizard-driver.mjs';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 Base32 without padding (upper case). */
export function base32Encode(bytes) {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(value >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * A new random 20-byte seed (so no byte pattern of it can already be in the app's code or data)
 * and the enrollment link that carries it.
 */
export function randomAccount() {
  const seed = randomBytes(20);
  const base32 = base32Encode(seed);
  assert.deepEqual(base32Decode(base32), seed, 'reference Base32 round trip');
  return {
    seed,
    base32,
    hex: seed.toString('hex'),
    uri: `otpauth://totp/Privacy%20Test:leak-check%40example.org?secret=${base32}&issuer=Privacy%20Test&algorithm=SHA1&digits=6&period=30`,
  };
}

/** The simulated token every flow burns (PN533 reader, OTPC-P2-i serial, an older seed). */
export const SIM_TOKEN = {
  reader: 'pn533',
  serial: '8659622000123',
  seed_hex: '0102030405060708090A0B0C0D0E0F1011121314',
  clock_offset: -40,
};

/**
 * Reveals the secret on the review screen, checks it is the account's Base32 (grouped by four),
 * and hides it again.
 */
export async function revealAndHideSecret(page, account) {
  const shown = byTestId(page, 'secret-masked');
  await page.getByRole('button', { name: 'Show secret' }).click();
  const revealed = (await shown.innerText()).replace(/\s+/g, '');
  assert.equal(revealed, account.base32, 'the revealed secret is the link’s Base32');
  await page.getByRole('button', { name: 'Hide secret' }).click();
  assert.doesNotMatch(await shown.innerText(), /[A-Z2-7]{4}/, 'hidden again');
}

/**
 * From a freshly loaded app with the fake reader: the whole wizard up to the Done screen.
 * Asserts the burn succeeded, the token holds the seed, and the token's code verifies.
 * `onStep(name)` is called on every screen (for per-step checks such as request counts).
 */
export async function burnAndVerify(page, sim, account, { reveal = true, onStep = async () => {} } = {}) {
  await waitForScreen(page, 'secret', 30_000);
  await onStep('secret');
  if (reveal) {
    await byTestId(page, 'secret-text').fill(account.uri);
    await byTestId(page, 'secret-submit').click();
    await waitForScreen(page, 'review');
    await onStep('review');
    await revealAndHideSecret(page, account);
    await onStep('secret-hidden');
    await page.getByRole('button', { name: 'Back' }).click();
    await waitForScreen(page, 'secret');
  }
  assert.equal(await reachBurnStep(page, account.uri), 'burn', 'the token was identified');
  await onStep('burn');
  const outcome = await burnAndWait(page);
  assert.equal(outcome, 'success', await byTestId(page, 'burn-status').innerText());
  const { token } = await sim.state();
  assert.equal(token.seed_hex, account.hex.toUpperCase(), 'the token holds the new seed');
  assert.equal(token.displayed_code, totp(account.seed, token.device_time), 'RFC 6238 code on the token');
  await byTestId(page, 'burn-continue').click();

  await waitForScreen(page, 'verify');
  await onStep('verify');
  const shownNow = (await sim.state()).token.displayed_code;
  await byTestId(page, 'verify-code').fill(spaced(shownNow));
  await byTestId(page, 'verify-check').click();
  assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'mismatch']), 'match');
  // The typed code is not secret, but the field is cleared with the rest on start over.
  await byTestId(page, 'verify-continue').click();
  await waitForScreen(page, 'done');
  await onStep('done');
}

/** Presses Start over on the Done screen and checks the wizard is empty again. */
export async function startOver(page) {
  await byTestId(page, 'start-over').click();
  await waitForScreen(page, 'secret');
  assert.equal(await byTestId(page, 'secret-text').inputValue(), '');
  assert.equal(await page.locator('[data-testid="classification"]').count(), 0);
}
