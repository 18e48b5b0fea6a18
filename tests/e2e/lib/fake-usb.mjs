// A fake `navigator.usb` for browser tests: the page sees a WebUSB device that behaves like
// Chrome's (the same errors with the same names and messages, transfers that stay pending until
// the device answers, a 'disconnect' event when it is unplugged), and every bulk transfer goes
// to the kiln-sim simulator (sim-bridge.mjs) in the test process.
//
//   const sim = await startSimBridge();
//   await sim.device({ reader: 'pn533', serial: '8659622000123' });
//   let usb;
//   const { page } = await h.openApp('', {
//     beforeLoad: async (p) => { usb = await installFakeUsb(p, sim, { reader: READERS.stickId }); },
//   });
//   …click "connect-usb"…
//   await usb.unplug();                 // cable pulled: the page gets its 'disconnect' event
//   await usb.plugIn();                 // plugged back in: the page gets 'connect'
//   await usb.requests();               // what requestDevice was asked for (the filters)
//
// Options: `reader` (one of READERS, or your own description), `chooser` ('pick' or 'cancel':
// the user closed the chooser), `openError` / `claimError` ({name, message}: what open() or
// claimInterface() reject with, e.g. CCID_BLOCKED), `configured` (the device already has its
// configuration selected, as on Linux), `pollMs` (how often a pending transferIn asks the
// simulator again).

/** Devices as Chrome describes them (descriptors of the real readers). */
export const READERS = {
  /** Token2 StickID / Sony-made PN533: vendor-specific interface, bulk endpoints 4. */
  stickId: {
    vendorId: 0x04cc,
    productId: 0x2533,
    productName: 'NFC Reader StickID',
    manufacturerName: 'Token2',
    interfaceClass: 0xff,
    endpoints: [
      { endpointNumber: 4, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 4, direction: 'in', type: 'bulk', packetSize: 64 },
    ],
    sim: 'pn533',
  },
  /** SCM SCL3711 (PN533 inside), with an empty product string: Kiln names it from its table. */
  scl3711: {
    vendorId: 0x04e6,
    productId: 0x5591,
    productName: '',
    manufacturerName: 'SCM Micro',
    interfaceClass: 0xff,
    endpoints: [
      { endpointNumber: 4, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 4, direction: 'in', type: 'bulk', packetSize: 64 },
    ],
    sim: 'pn533',
  },
  /** ACS ACR122U: a CCID (class 0x0B) reader with an interrupt endpoint for card events. */
  acr122u: {
    vendorId: 0x072f,
    productId: 0x2200,
    productName: 'ACR122U PICC Interface',
    manufacturerName: 'ACS',
    interfaceClass: 0x0b,
    endpoints: [
      { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 16 },
      { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
    ],
    sim: 'ccid',
  },
  /** Token2 Molto2v2 multi-profile token: a CCID (class 0x0B) device of its own. */
  molto2: {
    vendorId: 0x349e,
    productId: 0x0300,
    productName: 'Molto2v2',
    manufacturerName: 'Token2',
    interfaceClass: 0x0b,
    endpoints: [
      { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 16 },
      { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
    ],
    sim: 'ccid',
  },
};

/** What Chrome's claimInterface() rejects with for a smart-card interface on an ordinary page. */
export const CCID_BLOCKED = {
  name: 'SecurityError',
  message: 'The requested interface implements a protected class.',
};

/** What Chrome on Linux says when the pn533_usb kernel driver holds the interface. */
export const CLAIM_BUSY = { name: 'NetworkError', message: 'Unable to claim interface.' };

/** What Chrome says when the OS does not let it open the device (no udev rule, no WinUSB). */
export const OPEN_DENIED = { name: 'SecurityError', message: 'Access denied.' };

/**
 * Installs the fake before the app loads. Call from `openApp`'s `beforeLoad`.
 * @param {import('playwright-core').Page} page
 * @param {{send: (req: object) => Promise<object>, unplug: () => Promise<object>}} sim
 */
export async function installFakeUsb(page, sim, options = {}) {
  const config = {
    reader: READERS.stickId,
    chooser: 'pick',
    openError: null,
    claimError: null,
    configured: false,
    pollMs: 5,
    ...options,
  };
  // The page may only move bytes; faults and state stay with the test.
  await page.exposeBinding('__kilnSimUsb', async (_source, request) => {
    if (request?.op !== 'out' && request?.op !== 'in') {
      return { ok: false, error: 'the page may only send out/in requests' };
    }
    return sim.send(request);
  });
  await page.addInitScript(initFakeUsb, config);
  const inPage = (fn, arg) => page.evaluate(fn, arg);
  return {
    /** Every requestDevice() call: `{filters, matched}`. */
    requests: () => inPage(() => window.__kilnFakeUsb.requests),
    /** Every transfer and device call, in order. */
    log: () => inPage(() => window.__kilnFakeUsb.log),
    /** Most transferIn() calls pending at the same time so far. */
    maxPendingIns: () => inPage(() => window.__kilnFakeUsb.maxPendingIns),
    /** Changes chooser/openError/claimError for the next requestDevice/open/claim. */
    configure: (patch) => inPage((p) => window.__kilnFakeUsb.configure(p), patch),
    /** Pulls the cable: the simulator is unplugged and the page gets 'disconnect'. */
    async unplug() {
      await sim.unplug();
      await inPage(() => window.__kilnFakeUsb.disconnect());
    },
    /** Plugs the reader back in (the page gets 'connect'; it must open it again). */
    async plugIn() {
      await sim.plugIn();
      await inPage(() => window.__kilnFakeUsb.reconnect());
    },
  };
}

/**
 * Runs in the page (serialised by addInitScript): replaces Navigator.prototype.usb.
 * Everything it needs is inside this function.
 */
function initFakeUsb(initial) {
  const config = { ...initial };
  const desc = config.reader;
  const bridge = (request) => window.__kilnSimUsb(request);
  const requests = [];
  const log = [];
  const protoOf = (name) => (typeof window[name] === 'function' ? window[name].prototype : Object.prototype);
  const fixed = (value) => ({ value, enumerable: true });
  const domError = (name, message) => new DOMException(message, name);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const unhex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // --- navigator.usb: a real EventTarget (so add/removeEventListener work) shaped like USB.
  const usb = new EventTarget();
  Object.setPrototypeOf(usb, protoOf('USB'));
  Object.defineProperties(usb, {
    onconnect: { value: null, writable: true },
    ondisconnect: { value: null, writable: true },
  });

  // --- The device: USBDevice-prototyped object with own properties, as the app reads them.
  const state = { opened: false, configured: !!config.configured, claimed: false, gone: false };
  const endpoints = desc.endpoints.map((e) =>
    Object.create(protoOf('USBEndpoint'), {
      endpointNumber: fixed(e.endpointNumber),
      direction: fixed(e.direction),
      type: fixed(e.type),
      packetSize: fixed(e.packetSize),
    }),
  );
  const alternate = Object.create(protoOf('USBAlternateInterface'), {
    alternateSetting: fixed(0),
    interfaceClass: fixed(desc.interfaceClass),
    interfaceSubclass: fixed(0),
    interfaceProtocol: fixed(0),
    interfaceName: fixed(null),
    endpoints: fixed(endpoints),
  });
  const usbInterface = Object.create(protoOf('USBInterface'), {
    interfaceNumber: fixed(0),
    alternate: fixed(alternate),
    alternates: fixed([alternate]),
    claimed: { get: () => state.claimed, enumerable: true },
  });
  const configuration = Object.create(protoOf('USBConfiguration'), {
    configurationValue: fixed(1),
    configurationName: fixed(null),
    interfaces: fixed([usbInterface]),
  });

  const pendingIns = [];
  let polling = false;
  const fake = {
    requests,
    log,
    maxPendingIns: 0,
    configure: (patch) => Object.assign(config, patch),
    disconnect: () => markGone(),
    reconnect: () => plugBackIn(),
  };

  function plugBackIn() {
    if (!state.gone) return;
    state.gone = false;
    state.configured = !!config.configured;
    unclaimed.length = 0;
    log.push({ call: 'connect' });
    const event = new Event('connect');
    Object.defineProperty(event, 'device', { value: device, enumerable: true });
    usb.dispatchEvent(event);
    if (typeof usb.onconnect === 'function') usb.onconnect(event);
  }

  function markGone() {
    if (state.gone) return;
    state.gone = true;
    state.opened = false;
    state.claimed = false;
    log.push({ call: 'disconnect' });
    const event = new Event('disconnect');
    Object.defineProperty(event, 'device', { value: device, enumerable: true });
    usb.dispatchEvent(event);
    if (typeof usb.ondisconnect === 'function') usb.ondisconnect(event);
    rejectPendingIns(domError('NotFoundError', 'The device was disconnected.'));
  }

  function rejectPendingIns(error) {
    while (pendingIns.length > 0) pendingIns.shift().reject(error);
  }

  function checkOpen() {
    if (state.gone) throw domError('NotFoundError', 'The device was disconnected.');
    if (!state.opened) throw domError('InvalidStateError', 'The device must be opened first.');
  }

  function checkEndpoint(endpointNumber, direction) {
    checkOpen();
    const found = state.claimed && endpoints.some(
      (e) => e.endpointNumber === endpointNumber && e.direction === direction,
    );
    if (!found) {
      throw domError(
        'NotFoundError',
        'The specified endpoint is not part of a claimed and selected alternate interface.',
      );
    }
  }

  // Bytes the simulator sent while no transfer was waiting (it was cancelled meanwhile): like
  // a real device, they go to the next transferIn.
  const unclaimed = [];

  function deliver(bytes) {
    const head = pendingIns.shift();
    log.push({ call: 'transferIn', endpoint: head.endpoint, length: bytes.length });
    const status = bytes.length > head.length ? 'babble' : 'ok';
    const view = new DataView(bytes.buffer, 0, Math.min(bytes.length, head.length));
    head.resolve(
      typeof USBInTransferResult === 'function'
        ? new USBInTransferResult(status, view)
        : { status, data: view },
    );
  }

  async function pollIns() {
    if (polling) return;
    polling = true;
    try {
      while (pendingIns.length > 0 && !state.gone) {
        if (unclaimed.length > 0) {
          deliver(unclaimed.shift());
          continue;
        }
        const answer = await bridge({ op: 'in' });
        if (answer.in === 'data') {
          const bytes = unhex(answer.hex);
          if (pendingIns.length > 0) deliver(bytes);
          else unclaimed.push(bytes);
        } else if (answer.in === 'disconnected') {
          markGone();
        } else if (!answer.ok) {
          const error = `A transfer error has occurred (${answer.error}).`;
          pendingIns.shift().reject(domError('NetworkError', error));
        } else {
          await sleep(config.pollMs);
        }
      }
    } finally {
      polling = false;
    }
  }

  const methods = {
    async open() {
      log.push({ call: 'open' });
      if (state.gone) throw domError('NotFoundError', 'The device was disconnected.');
      if (config.openError) throw domError(config.openError.name, config.openError.message);
      state.opened = true;
    },
    async close() {
      log.push({ call: 'close' });
      state.opened = false;
      state.claimed = false;
      rejectPendingIns(domError('AbortError', 'The transfer was cancelled.'));
    },
    async forget() {
      log.push({ call: 'forget' });
    },
    async selectConfiguration(value) {
      log.push({ call: 'selectConfiguration', value });
      checkOpen();
      if (value !== 1) {
        throw domError('NotFoundError', 'The configuration value provided is not supported by the device.');
      }
      state.configured = true;
    },
    async claimInterface(number) {
      log.push({ call: 'claimInterface', number });
      checkOpen();
      if (!state.configured) {
        throw domError('InvalidStateError', 'The device must have a configuration selected.');
      }
      if (number !== 0) {
        throw domError(
          'NotFoundError',
          'The interface number provided is not supported by the device in its current configuration.',
        );
      }
      if (config.claimError) throw domError(config.claimError.name, config.claimError.message);
      state.claimed = true;
    },
    async releaseInterface(number) {
      log.push({ call: 'releaseInterface', number });
      checkOpen();
      state.claimed = false;
      rejectPendingIns(domError('AbortError', 'The transfer was cancelled.'));
    },
    async selectAlternateInterface() {
      checkOpen();
    },
    async clearHalt() {
      checkOpen();
    },
    async reset() {
      checkOpen();
    },
    async controlTransferIn() {
      throw domError('NotSupportedError', 'The fake device has no control transfers.');
    },
    async controlTransferOut() {
      throw domError('NotSupportedError', 'The fake device has no control transfers.');
    },
    async isochronousTransferIn() {
      throw domError('NotSupportedError', 'The fake device has no isochronous endpoints.');
    },
    async isochronousTransferOut() {
      throw domError('NotSupportedError', 'The fake device has no isochronous endpoints.');
    },
    async transferOut(endpointNumber, data) {
      // Copy now: the caller's buffer (wasm memory) may change as soon as this returns.
      const view = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
      const bytes = hex(view);
      checkEndpoint(endpointNumber, 'out');
      log.push({ call: 'transferOut', endpoint: endpointNumber, length: view.length });
      const answer = await bridge({ op: 'out', hex: bytes });
      if (answer.out === 'disconnected') {
        markGone();
        throw domError('NotFoundError', 'The device was disconnected.');
      }
      if (!answer.ok) throw domError('NetworkError', `A transfer error has occurred (${answer.error}).`);
      return typeof USBOutTransferResult === 'function'
        ? new USBOutTransferResult('ok', view.length)
        : { status: 'ok', bytesWritten: view.length };
    },
    transferIn(endpointNumber, length) {
      try {
        checkEndpoint(endpointNumber, 'in');
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        pendingIns.push({ endpoint: endpointNumber, length, resolve, reject });
        fake.maxPendingIns = Math.max(fake.maxPendingIns, pendingIns.length);
        pollIns();
      });
    },
  };

  const device = Object.create(protoOf('USBDevice'), {
    vendorId: fixed(desc.vendorId),
    productId: fixed(desc.productId),
    productName: fixed(desc.productName),
    manufacturerName: fixed(desc.manufacturerName),
    serialNumber: fixed(''),
    deviceClass: fixed(0), // classes are per interface
    deviceSubclass: fixed(0),
    deviceProtocol: fixed(0),
    usbVersionMajor: fixed(2),
    usbVersionMinor: fixed(0),
    usbVersionSubminor: fixed(0),
    deviceVersionMajor: fixed(1),
    deviceVersionMinor: fixed(0),
    deviceVersionSubminor: fixed(0),
    configurations: fixed([configuration]),
    configuration: { get: () => (state.configured ? configuration : null), enumerable: true },
    opened: { get: () => state.opened, enumerable: true },
    ...Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, fixed(fn)])),
  });

  /** WebUSB §"device matches a filter", for the one device this fake has. */
  function matches(filter) {
    if (filter.vendorId !== undefined && filter.vendorId !== desc.vendorId) return false;
    if (filter.productId !== undefined && filter.productId !== desc.productId) return false;
    if (filter.classCode !== undefined) {
      if (filter.classCode !== 0 && filter.classCode !== desc.interfaceClass) return false;
    }
    return true;
  }

  let granted = false;
  Object.defineProperties(usb, {
    requestDevice: fixed(async (options) => {
      const filters = (options?.filters ?? []).map((f) => ({ ...f }));
      const matched = filters.length === 0 || filters.some(matches);
      requests.push({ filters, matched });
      if (!navigator.userActivation?.isActive) {
        throw domError('SecurityError', 'Must be handling a user gesture to show a permission request.');
      }
      if (config.chooser === 'cancel' || !matched || state.gone) {
        throw domError('NotFoundError', 'No device selected.');
      }
      granted = true;
      return device;
    }),
    getDevices: fixed(async () => (granted && !state.gone ? [device] : [])),
  });

  Object.defineProperty(Navigator.prototype, 'usb', {
    configurable: true,
    enumerable: true,
    get: () => usb,
  });
  window.__kilnFakeUsb = fake;
}
