// A fake `navigator.serial` for browser tests: the page sees a Web Serial port shaped like
// Chrome's (SerialPort with open/close/getInfo and readable/writable streams, requestPort with
// filters and the user-gesture rule, the same errors with the same names, a 'disconnect' event
// when it is unplugged), and every byte goes to the kiln-sim bridge's PN532 board
// (sim-bridge.mjs, `reader: 'pn532'`) in the test process.
//
//   const sim = await startSimBridge();
//   await sim.device({ reader: 'pn532', serial: '8659622000123' });
//   let serial;
//   const { page } = await h.openApp('', {
//     beforeLoad: async (p) => { serial = await installFakeSerial(p, sim, { port: PORTS.ch340 }); },
//   });
//   …click "connect-serial"…
//   await serial.unplug();             // cable pulled: the page gets 'disconnect'
//   await serial.requests();           // what requestPort was asked for (the filters)
//   await serial.opens();              // the options of every open()
//
// Options: `port` (one of PORTS), `chooser` ('pick' or 'cancel'), `openError` ({name, message}:
// what open() rejects with, e.g. PORT_BUSY), `device` ('sim': the PN532 board; 'silent': a
// device that takes every byte and never answers), `pollMs` (how often a pending read asks the
// simulator again).

/** USB-serial adapters as Chrome's getInfo() describes them. */
export const PORTS = {
  ch340: { usbVendorId: 0x1a86, usbProductId: 0x7523 },
  cp2102: { usbVendorId: 0x10c4, usbProductId: 0xea60 },
};

/** What Chrome's open() rejects with when the OS cannot open the port (another program has it). */
export const PORT_BUSY = { name: 'NetworkError', message: 'Failed to open serial port.' };

/** What Chrome's open() rejects with when the port is already open (e.g. in another tab). */
export const PORT_ALREADY_OPEN = { name: 'InvalidStateError', message: 'The port is already open.' };

/**
 * Installs the fake before the app loads. Call from `openApp`'s `beforeLoad`.
 * @param {import('playwright-core').Page} page
 */
export async function installFakeSerial(page, sim, options = {}) {
  const config = { port: PORTS.ch340, chooser: 'pick', openError: null, device: 'sim', pollMs: 5, ...options };
  // The page may only move bytes; faults and state stay with the test.
  await page.exposeBinding('__kilnSimSerial', async (_source, request) => {
    if (request?.op !== 'out' && request?.op !== 'in') {
      return { ok: false, error: 'the page may only send out/in requests' };
    }
    return sim.send(request);
  });
  await page.addInitScript(initFakeSerial, config);
  const inPage = (fn, arg) => page.evaluate(fn, arg);
  return {
    /** Every requestPort() call: `{filters, matched, error}`. */
    requests: () => inPage(() => window.__kilnFakeSerial.requests),
    /** The options of every open() call. */
    opens: () => inPage(() => window.__kilnFakeSerial.opens),
    /** Every port call, in order. */
    log: () => inPage(() => window.__kilnFakeSerial.log),
    /** Is the port open now? */
    isOpen: () => inPage(() => window.__kilnFakeSerial.isOpen()),
    /** Changes chooser/openError/device for the next requestPort/open. */
    configure: (patch) => inPage((p) => window.__kilnFakeSerial.configure(p), patch),
    /** Pulls the cable: the simulator is unplugged and the page gets 'disconnect'. */
    async unplug() {
      await sim.unplug();
      await inPage(() => window.__kilnFakeSerial.disconnect());
    },
    /** Plugs the board back in (the page gets 'connect'; it must open the port again). */
    async plugIn() {
      await sim.plugIn();
      await inPage(() => window.__kilnFakeSerial.reconnect());
    },
  };
}

/**
 * Runs in the page (serialised by addInitScript): replaces Navigator.prototype.serial.
 * Everything it needs is inside this function.
 */
function initFakeSerial(initial) {
  const config = { ...initial };
  const bridge = (request) => window.__kilnSimSerial(request);
  const requests = [];
  const opens = [];
  const log = [];
  const protoOf = (name) => (typeof window[name] === 'function' ? window[name].prototype : EventTarget.prototype);
  const fixed = (value) => ({ value, enumerable: true });
  const domError = (name, message) => new DOMException(message, name);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const unhex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const lost = () => domError('NetworkError', 'The device has been lost.');

  const serial = new EventTarget();
  Object.setPrototypeOf(serial, protoOf('Serial'));
  const port = new EventTarget();
  Object.setPrototypeOf(port, protoOf('SerialPort'));
  const state = { open: false, gone: false, readable: null, writable: null, readController: null };

  function markGone() {
    if (state.gone) return;
    state.gone = true;
    log.push({ call: 'disconnect' });
    // Chrome errors both streams with NetworkError and fires 'disconnect' at the port, which
    // bubbles to navigator.serial.
    try {
      state.readController?.error(lost());
    } catch {}
    try {
      state.writeController?.error(lost());
    } catch {}
    state.readable = null;
    state.writable = null;
    state.open = false;
    port.dispatchEvent(new Event('disconnect', { bubbles: true }));
    const atSerial = new Event('disconnect');
    Object.defineProperty(atSerial, 'target', { value: port });
    serial.dispatchEvent(atSerial);
  }

  function makeReadable() {
    return new ReadableStream(
      {
        start(controller) {
          state.readController = controller;
        },
        async pull(controller) {
          // Called while a read() waits: ask the board until bytes come (a real port just waits).
          for (;;) {
            if (state.gone || state.readable === null) return;
            if (config.device === 'silent') {
              await sleep(config.pollMs * 4);
              continue;
            }
            const answer = await bridge({ op: 'in' });
            if (state.gone) return;
            if (answer.in === 'data') {
              const bytes = unhex(answer.hex);
              log.push({ call: 'read', length: bytes.length });
              controller.enqueue(bytes);
              return;
            }
            if (answer.in === 'disconnected') {
              markGone();
              return;
            }
            if (!answer.ok) {
              controller.error(domError('NetworkError', `The device has been lost (${answer.error}).`));
              return;
            }
            await sleep(config.pollMs);
          }
        },
        cancel() {
          log.push({ call: 'readable.cancel' });
        },
      },
      { highWaterMark: 0 },
    );
  }

  function makeWritable() {
    return new WritableStream({
      start(controller) {
        state.writeController = controller;
      },
      async write(chunk) {
        if (!ArrayBuffer.isView(chunk) && !(chunk instanceof ArrayBuffer)) {
          throw new TypeError("Failed to execute 'write' on 'UnderlyingSinkBase': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
        }
        const view = ArrayBuffer.isView(chunk)
          ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : new Uint8Array(chunk);
        const bytes = hex(view);
        log.push({ call: 'write', length: view.length });
        if (state.gone) throw lost();
        if (config.device === 'silent') return;
        const answer = await bridge({ op: 'out', hex: bytes });
        if (answer.out === 'disconnected') {
          markGone();
          throw lost();
        }
        if (!answer.ok) throw domError('NetworkError', `The device has been lost (${answer.error}).`);
      },
      close() {
        log.push({ call: 'writable.close' });
      },
    });
  }

  const methods = {
    getInfo() {
      return { usbVendorId: config.port.usbVendorId, usbProductId: config.port.usbProductId };
    },
    async open(options) {
      log.push({ call: 'open' });
      if (!options || typeof options.baudRate !== 'number') {
        throw new TypeError("Failed to execute 'open' on 'SerialPort': required member baudRate is undefined.");
      }
      if (options.baudRate <= 0) throw new TypeError('Requested baud rate must be greater than zero.');
      if (options.dataBits !== undefined && ![7, 8].includes(options.dataBits)) {
        throw new TypeError('Requested number of data bits must be 7 or 8.');
      }
      if (options.stopBits !== undefined && ![1, 2].includes(options.stopBits)) {
        throw new TypeError('Requested number of stop bits must be 1 or 2.');
      }
      opens.push({ ...options });
      if (state.open) throw domError('InvalidStateError', 'The port is already open.');
      if (state.gone) throw domError('NetworkError', 'Failed to open serial port.');
      if (config.openError) throw domError(config.openError.name, config.openError.message);
      state.open = true;
      state.readable = makeReadable();
      state.writable = makeWritable();
    },
    async close() {
      log.push({ call: 'close' });
      if (!state.open && !state.gone) throw domError('InvalidStateError', 'The port is already closed.');
      if (state.readable?.locked || state.writable?.locked) {
        throw new TypeError("Failed to execute 'close' on 'SerialPort': Cannot cancel a locked stream");
      }
      state.open = false;
      state.readable = null;
      state.writable = null;
    },
    async forget() {
      log.push({ call: 'forget' });
    },
    async getSignals() {
      if (!state.open) throw domError('InvalidStateError', 'The port is closed.');
      return { dataCarrierDetect: false, clearToSend: false, ringIndicator: false, dataSetReady: false };
    },
    async setSignals() {
      if (!state.open) throw domError('InvalidStateError', 'The port is closed.');
    },
  };
  Object.defineProperties(port, {
    ...Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, fixed(fn)])),
    readable: { get: () => state.readable, enumerable: true },
    writable: { get: () => state.writable, enumerable: true },
    connected: { get: () => !state.gone, enumerable: true },
    onconnect: { value: null, writable: true },
    ondisconnect: { value: null, writable: true },
  });

  /** Web Serial §requestPort: a filter must name a vendor when it names a product. */
  function matches(filter) {
    const info = config.port;
    if (filter.usbVendorId !== undefined && filter.usbVendorId !== info.usbVendorId) return false;
    if (filter.usbProductId !== undefined && filter.usbProductId !== info.usbProductId) return false;
    return true;
  }

  let granted = false;
  Object.defineProperties(serial, {
    requestPort: fixed(async (options) => {
      const filters = (options?.filters ?? []).map((f) => ({ ...f }));
      for (const filter of filters) {
        if (filter.usbProductId !== undefined && filter.usbVendorId === undefined) {
          throw new TypeError("Failed to execute 'requestPort' on 'Serial': A filter containing a usbProductId must also specify a usbVendorId.");
        }
      }
      const matched = filters.length === 0 || filters.some(matches);
      requests.push({ filters, matched });
      if (!navigator.userActivation?.isActive) {
        throw domError('SecurityError', 'Must be handling a user gesture to show a permission request.');
      }
      if (config.chooser === 'cancel' || !matched || state.gone) {
        throw domError('NotFoundError', 'No port selected by the user.');
      }
      granted = true;
      return port;
    }),
    getPorts: fixed(async () => (granted && !state.gone ? [port] : [])),
    onconnect: { value: null, writable: true },
    ondisconnect: { value: null, writable: true },
  });

  Object.defineProperty(Navigator.prototype, 'serial', {
    configurable: true,
    enumerable: true,
    get: () => serial,
  });
  window.__kilnFakeSerial = {
    requests,
    opens,
    log,
    isOpen: () => state.open,
    configure: (patch) => Object.assign(config, patch),
    disconnect: () => markGone(),
    reconnect() {
      if (!state.gone) return;
      state.gone = false;
      log.push({ call: 'connect' });
      port.dispatchEvent(new Event('connect', { bubbles: true }));
    },
  };
}
