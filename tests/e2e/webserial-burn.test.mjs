// The burn wizard over Web Serial in real Chromium: a PN532 board (kiln-sim's, behind a fake
// navigator.serial with Chrome's shapes) on a USB-serial adapter. Expectations come from this
// test: the seed from the Base32 (RFC 4648), the codes from node:crypto (RFC 6238), the token's
// and the board's state from the simulator. Faults: unplugged mid-burn, a port whose device
// never answers, a port another program holds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { installFakeSerial, PORT_ALREADY_OPEN, PORT_BUSY, PORTS } from './lib/fake-serial.mjs';
import { base32Decode, totp } from './lib/reference-otp.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import {
  assertPreviewMatchesRfc6238,
  axeLedger,
  burnAndWait,
  burnProgress,
  byTestId,
  identifyToken,
  shootBothWidths,
  spaced,
  submitSecretText,
  waitForAttribute,
  waitForScreen,
} from './lib/wizard-driver.mjs';

const URI = 'otpauth://totp/Serial%20Test:me%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Serial%20Test';
const SEED = base32Decode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
const OLD_SEED_HEX = '0102030405060708090A0B0C0D0E0F1011121314';
/** The USB IDs Kiln's chooser must offer: CH340, CP210x, PL2303, FTDI FT232R and FT-X. */
const CHIP_FILTERS = [
  { usbVendorId: 0x1a86, usbProductId: 0x7523 },
  { usbVendorId: 0x10c4, usbProductId: 0xea60 },
  { usbVendorId: 0x067b, usbProductId: 0x2303 },
  { usbVendorId: 0x0403, usbProductId: 0x6001 },
  { usbVendorId: 0x0403, usbProductId: 0x6015 },
];
/** PN532 SAMConfiguration: the board must be in normal mode before it looks for a token. */
const SAM_CONFIGURATION = '14';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/** A simulator with a PN532 board and a token, and the app with the fake port installed. */
async function open(t, { serial = '8659622000123', port = PORTS.ch340, ...fake } = {}) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  const answer = await sim.device({ reader: 'pn532', serial, seed_hex: OLD_SEED_HEX, clock_offset: -50 });
  assert.equal(answer.baud, 115200);
  let serialPort;
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (p) => {
      serialPort = await installFakeSerial(p, sim, { port, ...fake });
    },
  });
  return { sim, page, problems, serialPort };
}

/** Secret → review (with the display timeout `display`, if given) → preview → Reader step. */
async function reachReaderStep(page, display) {
  await waitForScreen(page, 'secret', 30_000);
  await submitSecretText(page, URI);
  if (display) await byTestId(page, 'display-timeout').selectOption(String(display));
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await assertPreviewMatchesRfc6238(page, SEED);
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
}

/** Connects the board, identifies the token, ends on the Burn step. */
async function connectAndIdentify(page, serial) {
  await byTestId(page, 'connect-serial').click();
  await byTestId(page, 'reader-name').waitFor({ timeout: 15_000 });
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), serial);
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
}

for (const { model, serial, display } of [
  { model: 'OTPC-P2-i', serial: '8659622000123', display: 60 },
  { model: 'miniOTP-2-i', serial: '8659600123456', display: 120 },
]) {
  test(`the whole wizard over a PN532 board (serial) burns an ${model} with the RFC 6238 codes`, async (t) => {
    const { sim, page, problems, serialPort } = await open(t, { serial });
    const axe = axeLedger(page);
    await reachReaderStep(page, display);
    await page.getByRole('heading', { name: 'PN532 board (serial)' }).waitFor();
    await page.getByRole('heading', { name: 'USB NFC reader (PN533)' }).waitFor();
    await shootBothWidths(page, `serial-${model}-1-connect`);
    await axe.check('reader step with the serial option');

    await byTestId(page, 'connect-serial').click();
    await byTestId(page, 'reader-name').waitFor({ timeout: 15_000 });
    assert.equal(
      await byTestId(page, 'reader-name').innerText(),
      'PN532 board on a CH340 USB-serial adapter (1a86:7523)',
    );
    const [request] = await serialPort.requests();
    assert.deepEqual(request.filters, CHIP_FILTERS, 'the chooser lists the common USB-serial chips');
    assert.deepEqual(await serialPort.opens(), [
      { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    ]);
    const board = (await sim.state()).reader;
    assert.equal(board.kind, 'pn532');
    assert.equal(board.normal_mode, true, 'woken and put in normal mode when connected');
    assert.equal(board.commands[0], SAM_CONFIGURATION, `first command: ${board.commands}`);
    await shootBothWidths(page, `serial-${model}-2-connected`);
    await axe.check('board connected');
    if (model === 'OTPC-P2-i') {
      // The same board picked again through "Use another PN532 board…": closed, then reopened.
      await byTestId(page, 'switch-serial').click();
      await page.getByRole('button', { name: 'Use another PN532 board…' }).waitFor({ timeout: 15_000 });
      await byTestId(page, 'reader-name').waitFor();
      assert.equal(await byTestId(page, 'connect-error').count(), 0);
      assert.equal((await serialPort.opens()).length, 2);
      assert.equal(await serialPort.isOpen(), true);
    }
    await byTestId(page, 'connect-continue').click();

    await waitForScreen(page, 'identify');
    await identifyToken(page);
    assert.equal(await byTestId(page, 'token-serial').innerText(), serial);
    assert.equal(await byTestId(page, 'token-model').innerText(), model);
    const offset = Number(await byTestId(page, 'token-clock-offset').getAttribute('data-offset'));
    assert.ok(offset >= -52 && offset <= -48, `clock offset ${offset} should be about -50 s`);
    await byTestId(page, 'identify-continue').click();
    await waitForScreen(page, 'burn');

    const before = (await sim.state()).reader;
    assert.equal(await burnAndWait(page), 'success', await byTestId(page, 'burn-status').innerText());
    await shootBothWidths(page, `serial-${model}-3-burned`);
    await axe.check('burned');
    const { token, reader: after } = await sim.state();
    assert.equal(token.serial, serial);
    assert.equal(token.seed_hex, SEED.toString('hex').toUpperCase(), 'the token holds the new seed');
    assert.equal(token.algorithm, 'SHA1');
    assert.equal(token.period, 30);
    assert.equal(token.display_seconds, display);
    assert.ok(Math.abs(token.clock_offset) <= 2, `token clock offset after burn: ${token.clock_offset} s`);
    assert.equal(token.displayed_code, totp(SEED, token.device_time), 'RFC 6238 code on the token');
    assert.equal(after.plugged, true);
    t.diagnostic(
      `${model} burn over the serial line: ${after.bytes_to_board - before.bytes_to_board} bytes to the board, ` +
        `${after.bytes_from_board - before.bytes_from_board} bytes from it (at 115200 8N1: 10 bits a byte)`,
    );

    await byTestId(page, 'burn-continue').click();
    await waitForScreen(page, 'verify');
    const shown = (await sim.state()).token.displayed_code;
    await byTestId(page, 'verify-code').fill(spaced(shown));
    await byTestId(page, 'verify-check').click();
    assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'mismatch']), 'match');
    problems.assertNone();
    axe.assertClean();
  });
}

test('the board unplugged right after the token executed the seed write: "unknown", burn again; the page knows the board is gone', async (t) => {
  const { sim, page, problems, serialPort } = await open(t);
  await reachReaderStep(page);
  await connectAndIdentify(page, '8659622000123');
  await sim.fault({ ins: 'write_seed', fault: 'unplug_reader_after' });

  assert.equal(await burnAndWait(page), 'unknown');
  const summary = await byTestId(page, 'burn-summary').innerText();
  assert.match(summary, /burn again/i, summary);
  assert.doesNotMatch(await byTestId(page, 'burn-status').innerText(), /The token is burned/);
  assert.equal((await burnProgress(page))['Write the seed'], 'unknown');
  await shootBothWidths(page, 'serial-fault-unplugged-mid-burn');
  const { token, reader } = await sim.state();
  assert.equal(reader.plugged, false);
  assert.equal(token.seed_hex, SEED.toString('hex').toUpperCase(), 'the token did execute the write');
  assert.equal(await byTestId(page, 'burn').isDisabled(), true, 'Burn must wait for a reader');
  assert.match(await byTestId(page, 'burn-needs-token').innerText(), /reader is disconnected/);
  assert.ok((await serialPort.log()).some((entry) => entry.call === 'disconnect'));

  // Recovery: plugged back in, connected again, the token burns.
  await serialPort.plugIn();
  await page.getByRole('button', { name: 'Go to the Reader step' }).click();
  await connectAndIdentify(page, '8659622000123');
  assert.equal(await burnAndWait(page), 'success');
  problems.assertNone();
});

test('a serial device that never answers is named as not a PN532 board in HSU mode, and its port is closed', async (t) => {
  const { page, problems, serialPort } = await open(t, { device: 'silent' });
  await reachReaderStep(page);
  await byTestId(page, 'connect-serial').click();
  const error = byTestId(page, 'connect-error');
  await error.waitFor({ timeout: 15_000 });
  assert.match(await error.innerText(), /not a PN532 board in HSU mode — check its mode switches/);
  assert.equal(await byTestId(page, 'reader-name').count(), 0);
  assert.equal(await byTestId(page, 'connect-continue').isDisabled(), true);
  assert.equal(await serialPort.isOpen(), false, 'the port is closed again');
  assert.ok((await serialPort.log()).some((entry) => entry.call === 'write'), 'the wake-up was sent');
  await shootBothWidths(page, 'serial-fault-wrong-device');
  const axe = axeLedger(page);
  await axe.check('wrong device');
  axe.assertClean();
  problems.assertNone();
});

for (const busy of [PORT_BUSY, PORT_ALREADY_OPEN]) {
  test(`a port another program holds (open() rejects with ${busy.name}) is explained; freed, it connects`, async (t) => {
    const { page, problems, serialPort } = await open(t, { openError: busy });
    await reachReaderStep(page);
    await byTestId(page, 'connect-serial').click();
    const error = byTestId(page, 'connect-error');
    await error.waitFor({ timeout: 15_000 });
    assert.match(await error.innerText(), /CH340 USB-serial adapter \(1a86:7523\) is in use by another program/);
    assert.equal(await byTestId(page, 'reader-name').count(), 0);
    if (busy === PORT_BUSY) await shootBothWidths(page, 'serial-fault-port-busy');

    await serialPort.configure({ openError: null });
    await byTestId(page, 'connect-serial').click();
    await byTestId(page, 'reader-name').waitFor({ timeout: 15_000 });
    assert.equal(await error.count(), 0, 'the old error is gone');
    problems.assertNone();
  });
}

test('closing the chooser without a port says so, and nothing is opened', async (t) => {
  const { page, problems, serialPort } = await open(t, { chooser: 'cancel' });
  await reachReaderStep(page);
  await byTestId(page, 'connect-serial').click();
  const error = byTestId(page, 'connect-error');
  await error.waitFor({ timeout: 15_000 });
  assert.match(await error.innerText(), /No serial port was chosen/);
  assert.equal((await serialPort.opens()).length, 0);
  problems.assertNone();
});
