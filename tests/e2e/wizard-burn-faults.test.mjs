// Burns that go wrong, in real Chromium over the WebUSB adapter and the simulated reader and
// token: what the page says must match what the simulated token really holds afterwards. A
// burn that did not certainly complete is never "success", and the words say what to do next.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { base32Decode } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import {
  burnAndWait,
  burnProgress,
  byTestId,
  reachBurnStep,
  receivedInstructions,
  shootBothWidths,
} from './lib/wizard-driver.mjs';

const URI = 'otpauth://totp/Contoso:ana%40contoso.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Contoso';
const NEW_SEED_HEX = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP').toString('hex').toUpperCase();
const OLD_SEED_HEX = 'A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4';
/** OTPC-P2-i: writing its clock (the config) erases its seed. */
const RESTRICTED_SERIAL = '8659622000777';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/** A fresh app with a fake `reader` wired to a new simulated token with an old seed. */
async function open(t, { reader = READERS.stickId, serial = RESTRICTED_SERIAL } = {}) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: reader.sim, serial, seed_hex: OLD_SEED_HEX });
  let usb;
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (p) => {
      usb = await installFakeUsb(p, sim, { reader });
    },
  });
  return { sim, page, problems, usb };
}

const summaryOf = (page) => byTestId(page, 'burn-summary').innerText();

for (const reader of [READERS.stickId, READERS.acr122u]) {
  test(`a ${reader.sim} reader unplugged right after the token executed the config write: "unknown", the seed may be erased, burn again (and the token has no seed)`, async (t) => {
    const { sim, page, problems, usb } = await open(t, { reader });
    assert.equal(await reachBurnStep(page, URI), 'burn');
    await sim.fault({ ins: 'write_config', fault: 'unplug_reader_after' });

    assert.equal(await burnAndWait(page), 'unknown');
    const summary = await summaryOf(page);
    assert.match(summary, /erase/i, summary);
    assert.match(summary, /burn again/i, summary);
    assert.doesNotMatch(summary, /kept its seed|exactly as it was|now holds the new seed/i, summary);
    assert.doesNotMatch(await byTestId(page, 'burn-status').innerText(), /The token is burned/);
    const progress = await burnProgress(page);
    assert.equal(progress['Write clock and settings'], 'unknown');
    assert.equal(progress['Write the seed'], 'pending');
    await shootBothWidths(page, `fault-unplugged-mid-burn-${reader.sim}`);

    const { token, reader: simReader } = await sim.state();
    assert.equal(token.has_seed, false, 'the config write erased the old seed');
    assert.deepEqual(token.executed.slice(-2), ['AnswerChallenge', 'WriteConfig']);
    assert.equal(simReader.plugged, false);
    // The page noticed the unplug: burning again needs the reader first, and it says so.
    assert.equal(await byTestId(page, 'burn').isDisabled(), true, 'Burn must wait for a reader');
    assert.match(await byTestId(page, 'burn-needs-token').innerText(), /reader is disconnected/);

    // Recovery: plug the reader back in, connect, read the token, burn again.
    await usb.plugIn();
    await page.getByRole('button', { name: 'Go to the Reader step' }).click();
    await byTestId(page, 'connect-usb').click();
    await byTestId(page, 'connect-continue').click();
    await byTestId(page, 'identify-token').click();
    await byTestId(page, 'identify-continue').click();
    assert.equal(await burnAndWait(page), 'success');
    assert.equal((await sim.state()).token.seed_hex, NEW_SEED_HEX);
    problems.assertNone();
  });
}

test('the token taken off before the seed write: not "success", the text allows for a token without seed; put back, the next burn succeeds', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, URI), 'burn');
  await sim.fault({ ins: 'write_seed', fault: 'removed_before' });

  assert.equal(await burnAndWait(page), 'unknown');
  const summary = await summaryOf(page);
  assert.match(summary, /no seed/i, summary);
  assert.match(summary, /burn again/i, summary);
  assert.doesNotMatch(summary, /kept its seed|exactly as it was|now holds the new seed/i, summary);
  await shootBothWidths(page, 'fault-token-removed-before-seed');
  let { token } = await sim.state();
  assert.equal(token.has_seed, false, 'config executed (seed erased), seed write never executed');

  await sim.putBackToken();
  assert.equal(await burnAndWait(page), 'success');
  ({ token } = await sim.state());
  assert.equal(token.seed_hex, NEW_SEED_HEX);
  problems.assertNone();
});

test('the token taken off right after it executed the seed write: "unknown", the text says it holds the new seed or none (it holds the new one)', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, URI), 'burn');
  await sim.fault({ ins: 'write_seed', fault: 'removed_after' });

  assert.equal(await burnAndWait(page), 'unknown');
  const summary = await summaryOf(page);
  assert.match(summary, /new seed/i, summary);
  assert.match(summary, /burn again/i, summary);
  assert.doesNotMatch(summary, /has no seed now|kept its seed|exactly as it was/i, summary);
  assert.equal((await burnProgress(page))['Write the seed'], 'unknown');
  const { token } = await sim.state();
  assert.equal(token.seed_hex, NEW_SEED_HEX);
  problems.assertNone();
});

test('a token that refuses authentication (6983): "failed", one ANSWER CHALLENGE only, nothing written, and the message says Kiln will not retry', async (t) => {
  const { sim, page, problems } = await open(t);
  assert.equal(await reachBurnStep(page, URI), 'burn');
  await sim.fault({ ins: 'answer_challenge', fault: 'status', status: '6983' });

  assert.equal(await burnAndWait(page), 'failed');
  const summary = await summaryOf(page);
  assert.match(summary, /refused Kiln's authentication/, summary);
  assert.match(summary, /6983/, summary);
  assert.match(summary, /will not try again/, summary);
  assert.match(summary, /Nothing was written/, summary);
  const progress = await burnProgress(page);
  assert.equal(progress.Authenticate, 'failed');
  assert.equal(progress['Write clock and settings'], 'pending');
  await shootBothWidths(page, 'fault-auth-refused');

  await page.waitForTimeout(500); // a retry, if any, would have happened by now
  const { token } = await sim.state();
  const instructions = receivedInstructions(token);
  assert.equal(instructions.filter((ins) => ins === 'CE').length, 1, instructions.join(' '));
  assert.ok(!instructions.includes('D4') && !instructions.includes('C5'), instructions.join(' '));
  assert.equal(token.seed_hex, OLD_SEED_HEX, 'the old seed is untouched');
  problems.assertNone();
});

test('a token whose serial prefix is not in the model table is refused after GET INFO, the only command it receives', async (t) => {
  const { sim, page, problems } = await open(t, { serial: '1234567000123' });
  assert.equal(await reachBurnStep(page, URI), 'identify');
  const message = await byTestId(page, 'identify-error').innerText();
  assert.match(message, /1234567000123/);
  assert.match(message, /not a Token2 model Kiln knows/);
  assert.match(message, /Nothing was written/);
  assert.equal(await byTestId(page, 'token-serial').count(), 0);
  assert.equal(await byTestId(page, 'identify-continue').isDisabled(), true);
  await shootBothWidths(page, 'fault-unknown-model');

  const { token } = await sim.state();
  assert.deepEqual(receivedInstructions(token), ['41']);
  problems.assertNone();
});
