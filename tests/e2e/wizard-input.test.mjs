// The first two steps in real Chromium: what people paste or type, how Kiln classifies it,
// and the way on (or the reason there is none). Expectations come from the otpauth / Google
// export formats, built here independently (reference-otp.mjs), and from RFC 6238.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { MIGRATION, base32Decode, migrationUri } from './lib/reference-otp.mjs';
import {
  assertPreviewMatchesRfc6238,
  axeLedger,
  byTestId,
  shootBothWidths,
  submitSecretText,
  waitForScreen,
} from './lib/wizard-driver.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

async function openFresh() {
  const opened = await h.openApp('', { context: { viewport: { width: 1280, height: 900 } } });
  await waitForScreen(opened.page, 'secret');
  return opened;
}

test('a Google Authenticator export pasted as text lists both accounts, the SHA512 one disabled with its reason; the SHA1 one can be chosen and reviewed', async () => {
  const { page, problems } = await openFresh();
  const aliceSeed = Buffer.from('12345678901234567890');
  const uri = migrationUri([
    {
      secret: aliceSeed,
      name: 'alice@example.com',
      issuer: 'Example',
      algorithm: MIGRATION.algorithm.sha1,
      digits: MIGRATION.digits.six,
      type: MIGRATION.type.totp,
    },
    {
      secret: Buffer.alloc(64, 0x5a),
      name: 'bob@example.org',
      issuer: 'Strongbox',
      algorithm: MIGRATION.algorithm.sha512,
      digits: MIGRATION.digits.six,
      type: MIGRATION.type.totp,
    },
  ]);
  await submitSecretText(page, uri);
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'migration');
  const list = byTestId(page, 'migration-accounts');
  assert.match(await list.innerText(), /Example — alice@example\.com/);
  assert.match(await list.innerText(), /Strongbox — bob@example\.org/);
  const alice = byTestId(page, 'migration-account-1');
  const bob = byTestId(page, 'migration-account-2');
  assert.equal(await alice.isDisabled(), false);
  assert.equal(await bob.isDisabled(), true);
  const reason = list.locator('.is-unsupported [data-reason]');
  assert.equal(await reason.getAttribute('data-reason'), 'algorithm');
  assert.match(await reason.innerText(), /SHA-?512/);
  assert.equal(await byTestId(page, 'review-continue').isDisabled(), true, 'nothing chosen yet');
  await shootBothWidths(page, 'input-google-export-1-list');

  await alice.check();
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Example');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'alice@example.com');
  assert.equal(await byTestId(page, 'account-algorithm').innerText(), 'SHA1');
  await shootBothWidths(page, 'input-google-export-2-chosen');
  const axe = axeLedger(page);
  await axe.check('google export picker');
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await assertPreviewMatchesRfc6238(page, aliceSeed);
  problems.assertNone();
  axe.assertClean();
});

test('parameters the token cannot honour are refused with their reason, and phonefactor:// gets the Microsoft advice', async () => {
  const { page, problems } = await openFresh();
  const axe = axeLedger(page);
  const secret = 'JBSWY3DPEHPK3PXP';
  const refused = [
    { uri: `otpauth://totp/Example:alice?secret=${secret}&issuer=Example&digits=8`, reason: 'digits', words: /6/ },
    { uri: `otpauth://totp/Example:alice?secret=${secret}&issuer=Example&period=45`, reason: 'period', words: /30|60/ },
    { uri: `otpauth://hotp/Example:alice?secret=${secret}&issuer=Example&counter=0`, reason: 'hotp', words: /counter|HOTP/i },
  ];
  for (const { uri, reason, words } of refused) {
    await submitSecretText(page, uri);
    assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'refused', uri);
    const advice = byTestId(page, 'classification-advice');
    assert.equal(await advice.getAttribute('data-reason'), reason, uri);
    assert.match(await advice.innerText(), words, uri);
    assert.equal(await byTestId(page, 'review-continue').count(), 0, 'no way on to the burn');
    await shootBothWidths(page, `input-refused-${reason}`);
    await axe.check(`refused ${reason}`);
    await page.getByRole('button', { name: 'Use another QR code or secret' }).click();
    await waitForScreen(page, 'secret');
  }

  await submitSecretText(
    page,
    'phonefactor://activate_account?code=123456789&url=https%3a%2f%2fmobileappcommunicator.auth.microsoft.com%2factivate%2f123456789%2fWEU',
  );
  assert.equal(await byTestId(page, 'classification').getAttribute('data-kind'), 'not_a_secret');
  assert.match(await byTestId(page, 'classification-advice').innerText(), /different authenticator app/);
  assert.match(await byTestId(page, 'classification').innerText(), /Microsoft Authenticator/);
  await shootBothWidths(page, 'input-phonefactor');
  await axe.check('phonefactor');
  problems.assertNone();
  axe.assertClean();
});

/** Presses Tab until `[data-testid=<id>]` has the focus; returns how many presses it took. */
async function tabTo(page, id, limit = 60) {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (focused === id) return presses;
  }
  throw new Error(`${id} never received the focus within ${limit} Tab presses`);
}

/** The focused element shows a focus indicator (outline or box-shadow ring). */
async function assertFocusVisible(page, id) {
  const style = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow };
  });
  const visible = (style.outline !== 'none' && style.width !== '0px') || style.shadow !== 'none';
  assert.ok(visible, `${id} has no visible focus indicator: ${JSON.stringify(style)}`);
}

test('keyboard only: secret, review and preview with Tab, typing, Enter and Space', async (t) => {
  const { page, problems } = await openFresh();
  const uri = 'otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub';
  const tabs = {};

  tabs.text = await tabTo(page, 'secret-text');
  await assertFocusVisible(page, 'secret-text');
  await page.keyboard.type(uri);
  tabs.submit = await tabTo(page, 'secret-submit');
  await assertFocusVisible(page, 'secret-submit');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'review');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'GitHub');

  tabs.review = await tabTo(page, 'review-continue');
  await assertFocusVisible(page, 'review-continue');
  await page.keyboard.press('Space');
  await waitForScreen(page, 'preview');
  await assertPreviewMatchesRfc6238(page, base32Decode('JBSWY3DPEHPK3PXP'));

  tabs.preview = await tabTo(page, 'preview-continue');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'connect');
  t.diagnostic(`Tab presses needed: ${JSON.stringify(tabs)}`);
  problems.assertNone();
});
