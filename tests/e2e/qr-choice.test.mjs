// Several QR codes in one picture (tests/fixtures/qr/two-accounts.png: the Microsoft 365 and
// GitHub fixtures side by side, payloads in the fixture README): Kiln lists both and lets the
// user choose; it never silently takes the first.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, startHarness } from './lib/harness.mjs';
import { axeLedger, byTestId, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

const TWO_ACCOUNTS = join(REPO_ROOT, 'tests/fixtures/qr/two-accounts.png');

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

test('a picture with two burnable codes shows a choice with the issuer and account of each; the chosen one is reviewed', async () => {
  const { page, problems } = await h.openApp('', { context: { viewport: { width: 1280, height: 900 } } });
  await waitForScreen(page, 'secret');
  await byTestId(page, 'qr-file').setInputFiles(TWO_ACCOUNTS);
  const choice = byTestId(page, 'qr-choice');
  await choice.waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('main').getAttribute('data-screen'), 'secret', 'no account was taken on its own');
  const options = choice.locator('[data-testid^="qr-choice-"]');
  assert.equal(await options.count(), 2);
  const labels = (await options.allInnerTexts()).map((s) => s.trim()).sort();
  assert.deepEqual(labels, ['GitHub — octocat', 'Microsoft — me@somecompany.net']);
  assert.match(await choice.innerText(), /several QR codes/);
  const axe = axeLedger(page);
  await axe.check('qr choice');
  await shootBothWidths(page, 'qr-choice-two-accounts');

  await options.filter({ hasText: 'GitHub' }).click();
  await waitForScreen(page, 'review');
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'GitHub');
  assert.equal(await byTestId(page, 'account-name').innerText(), 'octocat');
  problems.assertNone();
  axe.assertClean();
});
