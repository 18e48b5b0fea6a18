// The WebUSB adapter (src/platform/usb/) in real Chromium against a fake navigator.usb that
// behaves like Chrome's (errors by name and message, pending transfers, 'disconnect' events),
// with the simulated readers of kiln-sim behind it: the chooser filters, every way opening a
// reader fails and what the user is told, unplugging, and USB-level recovery.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';
import { CCID_BLOCKED, CLAIM_BUSY, OPEN_DENIED, installFakeUsb, READERS } from './lib/fake-usb.mjs';
import { startSimBridge } from './lib/sim-bridge.mjs';
import { byTestId, identifyToken, shootBothWidths, waitForScreen } from './lib/wizard-driver.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

/**
 * The Identify tool (a reader panel and a token panel on one screen) with a fake `reader`
 * wired to a simulated token. `device` adds kiln-sim device options; `fake` fake-USB options.
 */
async function openIdentifyTool(t, { reader = READERS.stickId, device = {}, fake = {} } = {}) {
  const sim = await startSimBridge();
  t.after(() => sim.close());
  await sim.device({ reader: reader.sim, serial: '8659600000042', ...device });
  let usb;
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 } },
    beforeLoad: async (p) => {
      usb = await installFakeUsb(p, sim, { reader, ...fake });
    },
  });
  await waitForScreen(page, 'secret');
  await byTestId(page, 'tool-identify').click();
  await waitForScreen(page, 'identify-tool');
  return { sim, usb, page, problems };
}

const calls = async (usb) => (await usb.log()).map((entry) => entry.call);

test('the chooser is asked, from the click, for the two PN533 readers by vendor:product and for any CCID (class 0x0B) reader; the reader is opened, configured and claimed', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t);
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  const [request] = await usb.requests();
  const filters = request.filters.map((f) => JSON.stringify(f)).sort();
  assert.deepEqual(
    filters,
    [
      { vendorId: 0x04cc, productId: 0x2533 }, // Token2 StickID (README)
      { vendorId: 0x04e6, productId: 0x5591 }, // SCM SCL3711
      { classCode: 0x0b }, // CCID
    ]
      .map((f) => JSON.stringify(f))
      .sort(),
  );
  assert.deepEqual(await calls(usb), ['open', 'selectConfiguration', 'claimInterface']);
  assert.equal(await byTestId(page, 'reader-name').innerText(), READERS.stickId.productName);
  problems.assertNone();
});

test('a reader whose configuration is already selected is not configured again', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t, { fake: { configured: true } });
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  assert.deepEqual(await calls(usb), ['open', 'claimInterface']);
  problems.assertNone();
});

test('closing the chooser without a reader says so and opens nothing', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t, { fake: { chooser: 'cancel' } });
  await byTestId(page, 'connect-usb').click();
  assert.match(await byTestId(page, 'connect-error').innerText(), /No reader was chosen/);
  assert.deepEqual(await calls(usb), []);
  problems.assertNone();
});

test('a CCID reader refused with SecurityError (protected class) is explained: smart-card readers are blocked, use a PN533 reader or the CLI', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t, {
    reader: READERS.acr122u,
    fake: { claimError: CCID_BLOCKED },
  });
  await byTestId(page, 'connect-usb').click();
  const message = await byTestId(page, 'connect-error').innerText();
  assert.match(message, /ACR122U/);
  assert.match(message, /smart-card/i);
  assert.match(message, /do not let ordinary web pages/);
  assert.match(message, /StickID/);
  assert.match(message, /SCL3711/);
  assert.match(message, /command-line tool \(kiln\)/);
  assert.equal(await byTestId(page, 'reader-name').count(), 0);
  assert.deepEqual((await calls(usb)).slice(-2), ['claimInterface', 'close'], 'the device is closed again');
  await shootBothWidths(page, 'webusb-ccid-blocked');
  problems.assertNone();
});

test('a Token2 Molto2 refused like a smart-card reader points to the kiln molto2 commands', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t, {
    reader: READERS.molto2,
    fake: { claimError: CCID_BLOCKED },
  });
  await byTestId(page, 'connect-usb').click();
  const message = await byTestId(page, 'connect-error').innerText();
  assert.match(message, /Molto2 multi-profile token/);
  assert.match(message, /do not let ordinary web pages/);
  assert.match(message, /kiln molto2 list/);
  assert.match(message, /kiln molto2 burn --profile N/);
  assert.doesNotMatch(message, /StickID/, 'a PN533 reader would not help with a Molto2');
  assert.equal(await byTestId(page, 'reader-name').count(), 0);
  assert.deepEqual((await calls(usb)).slice(-2), ['claimInterface', 'close'], 'the device is closed again');
  problems.assertNone();
});

test('a PN533 held by the Linux kernel driver (claimInterface NetworkError) gets the modprobe / udev advice', async (t) => {
  const { page, problems } = await openIdentifyTool(t, { fake: { claimError: CLAIM_BUSY } });
  await byTestId(page, 'connect-usb').click();
  const message = await byTestId(page, 'connect-error').innerText();
  assert.match(message, /pn533_usb/);
  assert.match(message, /modprobe -r pn533_usb pn533 nfc/);
  assert.match(message, /udev rule/);
  problems.assertNone();
});

test('a reader the system does not let the browser open (open() SecurityError) gets the udev advice', async (t) => {
  const { page, problems } = await openIdentifyTool(t, { fake: { openError: OPEN_DENIED } });
  await byTestId(page, 'connect-usb').click();
  const message = await byTestId(page, 'connect-error').innerText();
  assert.match(message, /did not let the browser open/);
  assert.match(message, /udev rule/);
  problems.assertNone();
});

test('an SCL3711 without a product string is named from the reader table and reads the token', async (t) => {
  const { page, problems } = await openIdentifyTool(t, { reader: READERS.scl3711 });
  await byTestId(page, 'connect-usb').click();
  assert.equal(await byTestId(page, 'reader-name').innerText(), 'SCM SCL3711');
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), '8659600000042');
  assert.equal(await byTestId(page, 'token-model').innerText(), 'miniOTP-2-i');
  problems.assertNone();
});

test('unplugging an idle reader disconnects it in the page; Disconnect releases and closes it', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t);
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await identifyToken(page);
  await usb.unplug();
  await byTestId(page, 'connect-usb').waitFor();
  assert.equal(await byTestId(page, 'reader-name').count(), 0);
  assert.equal(await byTestId(page, 'token-serial').count(), 0, 'the token is forgotten with its reader');
  assert.equal(await byTestId(page, 'identify-token').isDisabled(), true);
  await shootBothWidths(page, 'webusb-unplugged-idle');

  await usb.plugIn();
  await byTestId(page, 'connect-usb').click();
  await byTestId(page, 'reader-name').waitFor();
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await byTestId(page, 'connect-usb').waitFor();
  await page.waitForFunction(() => window.__kilnFakeUsb.log.at(-1)?.call === 'close');
  assert.deepEqual((await calls(usb)).slice(-2), ['releaseInterface', 'close']);
  problems.assertNone();
});

test('with no token on the reader, Read the token says to switch it on and lay it flat', async (t) => {
  const { sim, page, problems } = await openIdentifyTool(t);
  await sim.removeToken();
  await byTestId(page, 'connect-usb').click();
  await identifyToken(page);
  assert.match(await byTestId(page, 'identify-error').innerText(), /No token was found on the reader/);
  await sim.putBackToken();
  await identifyToken(page);
  await byTestId(page, 'token-serial').waitFor();
  problems.assertNone();
});

test('a PN533 that ignores the first command after plug-in: the read left pending after the timeout is reused, never doubled', async (t) => {
  const { usb, page, problems } = await openIdentifyTool(t, { device: { drop_first_command: true } });
  await byTestId(page, 'connect-usb').click();
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), '8659600000042');
  // A second transferIn while one is pending would take the reply meant for the first.
  assert.equal(await usb.maxPendingIns(), 1);
  problems.assertNone();
});

for (const fault of ['garble_next_response', 'corrupt_next_response', 'nack_next_command']) {
  test(`a PN533 frame damaged on the USB link (${fault}) is recovered by the PN533 link: the token is read`, async (t) => {
    const { sim, page, problems } = await openIdentifyTool(t);
    await sim.fault({ reader: fault });
    await byTestId(page, 'connect-usb').click();
    await identifyToken(page);
    assert.equal(await byTestId(page, 'token-serial').innerText(), '8659600000042');
    problems.assertNone();
  });
}

test('a CCID reader that sends time extensions before each reply reads the token', async (t) => {
  const { page, problems } = await openIdentifyTool(t, {
    reader: READERS.acr122u,
    device: { time_extensions: 2 },
  });
  await byTestId(page, 'connect-usb').click();
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), '8659600000042');
  problems.assertNone();
});

test('a smart-card-class device without bulk endpoints is declined before it is opened', async (t) => {
  const odd = {
    ...READERS.acr122u,
    productName: 'Fingerprint Keyboard',
    endpoints: [{ endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 8 }],
  };
  const { usb, page, problems } = await openIdentifyTool(t, { reader: odd });
  await byTestId(page, 'connect-usb').click();
  const message = await byTestId(page, 'connect-error').innerText();
  assert.match(message, /Fingerprint Keyboard is not a reader Kiln can use/);
  assert.match(message, /command-line tool/);
  assert.deepEqual(await calls(usb), [], 'nothing was opened');
  problems.assertNone();
});

test('a reader unplugged between the chooser and open() is reported as unplugged', async (t) => {
  const { page, problems } = await openIdentifyTool(t, {
    fake: { openError: { name: 'NotFoundError', message: 'The device was disconnected.' } },
  });
  await byTestId(page, 'connect-usb').click();
  assert.match(await byTestId(page, 'connect-error').innerText(), /The reader was unplugged\. Plug it back in/);
  problems.assertNone();
});
