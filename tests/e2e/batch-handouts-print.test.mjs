// Issue #15: "Print hand-outs" on the Batch screen, in real Chromium after a real three-token
// batch (kiln-sim on a simulated PN533 reader). The print stylesheet shows only the hand-outs,
// one per burned token, each on its own page (Chromium print-to-PDF has one page per token), with
// the token's serial, model, user, period, display timeout and Entra's activation steps, and no
// part of any token's secret (the simulator's seeds are the reference).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ARTIFACTS_DIR, startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import { base32Encode } from './lib/burn-flow.mjs';
import { keyboardActivate, keyboardFill, pressAndFinish } from './lib/batch-driver.mjs';
import { pdfAllText, pdfPageCount } from './lib/pdf-text.mjs';
import { findSecretInText } from './lib/secret-search.mjs';
import { axeLedger, byTestId, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

const TOKENS = [
  { serial: '8659600000011', model: 'miniOTP-2-i', user: 'alice@example.com' },
  { serial: '8659610000044', model: 'C301-i', user: 'bob@example.com' },
  { serial: '8659622000456', model: 'OTPC-P2-i', user: 'chloe.dupont@example.com' },
];

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

test('Print hand-outs prints one page per burned token, each with its serial and user, and no secret', async (t) => {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: 'pn533', serial: TOKENS[0].serial });
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (p) => {
      await installFakeUsb(p, sim, { reader: READERS.stickId });
      // Counts the calls instead of opening the print dialog (headless Chromium's never closes).
      await p.addInitScript(() => {
        window.print = () => {
          window.__printCalls = (window.__printCalls ?? 0) + 1;
        };
      });
    },
  });
  await waitForScreen(page, 'secret');
  await keyboardActivate(page, 'tool-batch');
  await waitForScreen(page, 'batch');
  const axe = axeLedger(page);
  await keyboardFill(page, 'batch-users', TOKENS.map((token) => token.user).join('\n'));
  await keyboardActivate(page, 'connect-usb');
  await byTestId(page, 'reader-name').waitFor();
  await keyboardActivate(page, 'batch-start');
  // The seeds the tokens hold, as the simulator saw them written: what must never be printed.
  const secrets = [];
  for (const [i, token] of TOKENS.entries()) {
    if (i > 0) await sim.replaceToken({ serial: token.serial });
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'batch-next');
    assert.equal(await pressAndFinish(page, () => page.keyboard.press('Enter')), 'ready');
    const { token: held } = await sim.state();
    assert.equal(held.has_seed, true);
    const seed = Buffer.from(held.seed_hex, 'hex');
    secrets.push({ uri: `secret of ${token.serial}`, base32: base32Encode(seed), hex: seed.toString('hex') });
  }

  assert.equal(await byTestId(page, 'batch-handouts-count').innerText(), '3 hand-outs, one page per burned token, no secret.');
  // On screen: the button, not the hand-outs.
  assert.equal(await byTestId(page, 'handout').first().isVisible(), false, 'the hand-outs are for paper');
  await shootBothWidths(page, 'batch-handouts-screen');
  await axe.check('batch with hand-outs');
  await keyboardActivate(page, 'batch-print-handouts');
  assert.equal(await page.evaluate(() => window.__printCalls ?? 0), 1, 'the button asks the browser to print');

  // What a printout shows: the hand-outs only, in the table's order, each ending its page.
  await page.emulateMedia({ media: 'print' });
  const handouts = byTestId(page, 'handout');
  assert.equal(await handouts.count(), TOKENS.length, 'one hand-out per burned token');
  for (const [i, token] of TOKENS.entries()) {
    const handout = handouts.nth(i);
    assert.equal(await handout.getAttribute('data-serial'), token.serial);
    assert.equal(await handout.locator('[data-testid="handout-serial"]').innerText(), token.serial);
    assert.equal(await handout.locator('[data-testid="handout-account"]').innerText(), token.user);
    const text = await handout.innerText();
    assert.match(text, new RegExp(`Token2 ${token.model}`));
    assert.match(text, /New code every\s+30 seconds/);
    assert.match(text, /Display stays on\s+\d+ seconds/);
    assert.match(text, new RegExp(`Enter the serial number ${token.serial}\\.`));
    assert.match(text, /My Security Info/);
    const breakAfter = await handout.evaluate((el) => getComputedStyle(el).breakAfter);
    assert.equal(breakAfter, i < TOKENS.length - 1 ? 'page' : 'auto', `hand-out ${i + 1} ends its page`);
  }
  const printed = await page.evaluate(() => document.body.innerText);
  for (const screenOnly of ['Print hand-outs', 'Wipe batch', 'Burn a batch of tokens', 'Private by design']) {
    assert.ok(!printed.includes(screenOnly), `"${screenOnly}" is not printed`);
  }
  for (const secret of secrets) assert.deepEqual(findSecretInText(secret, printed), [], 'no part of a secret is printed');
  await page.screenshot({ path: `${ARTIFACTS_DIR}/batch-handouts-print.png`, fullPage: true });

  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdfPageCount(pdf), TOKENS.length, 'one page per token');
  const pdfText = pdfAllText(pdf);
  for (const secret of secrets) assert.deepEqual(findSecretInText(secret, pdfText), [], 'no part of a secret in the PDF');
  await page.emulateMedia({ media: 'screen' });
  problems.assertNone();
  axe.assertClean();
});
