// The printable hand-out on the Done step, in real Chromium after a real burn (kiln-sim): the
// print stylesheet shows only the hand-out, with the serial, model, account, period and
// display timeout and the service's next steps, and no part of the secret. Checked with the
// print media emulated (the text a printout shows) and with a Chromium print-to-PDF.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { openKiln } from './lib/app-session.mjs';
import { burnAndVerify, randomAccount, SIM_TOKEN } from './lib/burn-flow.mjs';
import { pdfAllText } from './lib/pdf-text.mjs';
import { findSecretInText } from './lib/secret-search.mjs';
import { byTestId, shootBothWidths } from './lib/wizard-driver.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/** An account like randomAccount's, issued by `issuer`, with `period` seconds. */
function accountFor(issuer, period) {
  const account = randomAccount();
  const label = encodeURIComponent(`${issuer}:handout@example.org`);
  account.uri = `otpauth://totp/${label}?secret=${account.base32}&issuer=${encodeURIComponent(issuer)}&period=${period}`;
  return account;
}

for (const { issuer, period, entra } of [
  { issuer: 'Microsoft', period: 30, entra: true },
  // burn-flow's checks compute 30 s codes.
  { issuer: 'Example Mail', period: 30, entra: false },
]) {
  test(`the hand-out for a ${issuer} account prints alone, with the serial and no secret`, async (t) => {
    const printCalls = () => page.evaluate(() => window.__printCalls ?? 0);
    const { sim, page, problems } = await openKiln(t, h.browser, h.url, {
      // Counts the calls instead of opening the print dialog: headless Chromium's dialog never
      // closes, and an open one blocks the print-to-PDF below.
      initScripts: [
        () => {
          window.print = () => {
            window.__printCalls = (window.__printCalls ?? 0) + 1;
          };
        },
      ],
    });
    const account = accountFor(issuer, period);
    await burnAndVerify(page, sim, account, { reveal: false });

    const handout = byTestId(page, 'handout');
    assert.equal(await byTestId(page, 'handout-serial').innerText(), SIM_TOKEN.serial);
    const text = await handout.innerText();
    assert.match(text, /OTPC-P2-i/);
    assert.match(text, new RegExp(`${period} seconds`));
    assert.match(await byTestId(page, 'handout-account').innerText(), /handout@example\.org/);
    const steps = await byTestId(page, 'handout-steps').innerText();
    if (entra) {
      assert.match(steps, /My Security Info/);
      assert.match(steps, /Add sign-in method, then Hardware token/);
      assert.match(steps, new RegExp(`serial number ${SIM_TOKEN.serial}`));
      assert.match(steps, /within 1 minute/);
    } else {
      assert.doesNotMatch(steps, /Security Info/);
      assert.match(steps, /enter the code shown/);
    }
    await shootBothWidths(page, `handout-${entra ? 'entra' : 'other'}`);

    await byTestId(page, 'print-handout').click();
    assert.equal(await printCalls(), 1, 'the button asks the browser to print');

    // What a printout shows: the hand-out only.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => document.body.innerText);
    assert.match(printed, new RegExp(SIM_TOKEN.serial));
    assert.match(printed, /What to do next/);
    for (const screenOnly of ['Start over', 'Burn another token', 'Print hand-out', 'Private by design']) {
      assert.ok(!printed.includes(screenOnly), `"${screenOnly}" is not printed`);
    }
    assert.deepEqual(findSecretInText(account, printed), [], 'no part of the secret is printed');
    await page.screenshot({ path: `${process.env.E2E_ARTIFACTS ?? new URL('./artifacts/', import.meta.url).pathname}/handout-${entra ? 'entra' : 'other'}-print.png` });

    const pdf = await page.pdf({ format: 'A4' });
    const pdfText = pdfAllText(pdf);
    assert.deepEqual(findSecretInText(account, pdfText), [], 'no part of the secret in the PDF');
    const pages = pdfText.match(/\/Type\s*\/Page[^s]/g) ?? [];
    assert.equal(pages.length, 1, 'the hand-out prints on one page');
    await page.emulateMedia({ media: 'screen' });
    problems.assertNone();
  });
}
