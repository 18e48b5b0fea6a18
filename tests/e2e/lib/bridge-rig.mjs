// The real parts behind the page for the Kiln bridge tests: the simulated token as a virtual
// card in vsmartcard's vpcd reader (`kiln-sim-vpcd`, crates/kiln-sim/src/bin/kiln-sim-vpcd.rs),
// real pcscd (scripts/start-pcscd.sh), and the real `kiln bridge` (crates/kiln-cli).
//
//   const card = await startVpcdToken({ serial: '8659622000123' });   // on "Virtual PCD 00 00"
//   const bridge = await startKilnBridge({ allowOrigins: [page origin] });
//   bridge.address, await bridge.code()   // 127.0.0.1:PORT, the pairing code it printed
//   const { token } = await card.state();
//   card.close(); bridge.close();
//
// pcscd and vpcd are machine-wide: run these tests under `flock -o /tmp/kiln-vpcd.lock` (as
// scripts/test.sh does). Binaries: KILN_BIN / KILN_SIM_VPCD_BIN, else the newest build in
// $CARGO_TARGET_DIR (or target/) debug/ or release/.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './harness.mjs';

/** vpcd's first slot, where kiln-sim-vpcd puts the token. */
export const VPCD_READER = 'Virtual PCD 00 00';

function binary(name, envVar, build) {
  if (process.env[envVar]) return resolve(process.env[envVar]);
  const targetDir = resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
  const found = ['debug', 'release']
    .map((profile) => join(targetDir, profile, name))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (found.length === 0) throw new Error(`${name} is not built: run \`${build}\`, or set ${envVar}.`);
  return found[0];
}

/** A TCP port nothing listens on right now (a "bridge not running" address). */
export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Spawns `bin args`, with its stdout as lines; `lines.next(pattern)` waits for a matching one. */
function spawnWithLines(bin, args, what) {
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const seen = [];
  const waiters = [];
  let stderr = '';
  let exited = null;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(line);
    for (const waiter of [...waiters]) waiter.check();
  });
  child.on('exit', (code, signal) => {
    exited = `${what} exited (code ${code}, signal ${signal})${stderr ? `; stderr:\n${stderr}` : ''}`;
    for (const waiter of [...waiters]) waiter.fail(new Error(exited));
  });
  child.on('error', (error) => {
    exited = `${what} could not run (${bin}): ${error.message}`;
    for (const waiter of [...waiters]) waiter.fail(new Error(exited));
  });
  child.stdin.on('error', () => {});
  const shared = { at: 0 };
  return {
    child,
    seen,
    stderr: () => stderr,
    /** The first line after the last one this `cursor` returned that matches `pattern`. */
    next(pattern, timeout = 15_000, cursor = shared) {
      return new Promise((resolveLine, rejectLine) => {
        const waiter = {
          check() {
            for (let i = cursor.at; i < seen.length; i++) {
              const match = seen[i].match(pattern);
              if (match) {
                cursor.at = i + 1;
                done();
                resolveLine(match);
                return;
              }
            }
          },
          fail(error) {
            done();
            rejectLine(error);
          },
        };
        const timer = setTimeout(
          () => waiter.fail(new Error(`${what} printed no line matching ${pattern} in ${timeout} ms; stdout:\n${seen.join('\n')}\nstderr:\n${stderr}`)),
          timeout,
        );
        const done = () => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
        };
        waiters.push(waiter);
        if (exited) waiter.fail(new Error(exited));
        else waiter.check();
      });
    },
    close() {
      if (exited) return;
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    },
    exited: () => exited,
  };
}

/**
 * Starts `kiln-sim-vpcd` with `args` and waits until pcscd has taken its card. Resolves with
 * `request(req)`, which sends one stdin request and resolves with the answer (or rejects with
 * the refusal), and `request.close()`. `hint` says what to do when the card was not taken.
 */
async function spawnVpcdSim(args, name, hint) {
  const bin = binary('kiln-sim-vpcd', 'KILN_SIM_VPCD_BIN', 'cargo build -p kiln-sim --bin kiln-sim-vpcd');
  const proc = spawnWithLines(bin, args, name);
  const ready = JSON.parse((await proc.next(/^\{.*\}$/))[0]);
  if (!ready.ok) throw new Error(`${name}: ${ready.error} (${hint})`);
  async function request(req) {
    proc.child.stdin.write(`${JSON.stringify(req)}\n`);
    const answer = JSON.parse((await proc.next(/^\{.*\}$/))[0]);
    if (!answer.ok) throw new Error(`${name} refused ${JSON.stringify(req)}: ${answer.error}`);
    return answer;
  }
  request.close = () => proc.close();
  return request;
}

/**
 * The simulated token on vpcd's first slot, until `close()`. Requests as in kiln-sim's line
 * protocol: `state()`, `fault({ins, fault})`, `removeToken()`, `putBackToken()`.
 */
export async function startVpcdToken({ serial = '8659622000123', seedHex, clockOffset = 0 } = {}) {
  const args = ['--serial', serial, '--clock-offset', String(clockOffset)];
  if (seedHex) args.push('--seed-hex', seedHex);
  const request = await spawnVpcdSim(args, 'kiln-sim-vpcd', 'run scripts/start-pcscd.sh first');
  return {
    state: () => request({ op: 'state' }),
    fault: (spec) => request({ op: 'fault', ...spec }),
    removeToken: () => request({ op: 'remove_token' }),
    putBackToken: () => request({ op: 'put_back_token' }),
    close: request.close,
  };
}

/** The Molto2 reader `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh` adds (vpcd on TCP 35968). */
export const MOLTO2_READER = 'Token2 Molto2 virtual 00 00';
const MOLTO2_PORT = 35968;

/**
 * The simulated Molto2v2 (factory key) on the Molto2 reader, until `close()`. `profiles`:
 * `{ 3: 'Old VPN' }` fills those profiles first. `state()` resolves with `{ molto2 }`: serial,
 * device_time, attempts_left, executed and every profile (seed_hex, displayed_code, …).
 */
export async function startVpcdMolto2({ serial = '202600000001234', clockOffset = 0, profiles = {} } = {}) {
  const args = ['--molto2', '--serial', serial, '--clock-offset', String(clockOffset), '--port', String(MOLTO2_PORT)];
  for (const [number, title] of Object.entries(profiles)) args.push('--profile', `${number}:${title}`);
  const request = await spawnVpcdSim(args, 'kiln-sim-vpcd --molto2', 'run KILN_MOLTO2_READER=1 scripts/start-pcscd.sh first');
  return {
    state: () => request({ op: 'state' }),
    close: request.close,
  };
}

/**
 * The real `kiln bridge` on 127.0.0.1 at a port it picks, allowing `allowOrigins` (none: its
 * defaults). `code()` resolves with the pairing code to type (6 digits, no space).
 */
export async function startKilnBridge({ allowOrigins = [], sessionTimeout, extraArgs = [] } = {}) {
  const bin = binary('kiln', 'KILN_BIN', 'cargo build -p kiln-cli --bin kiln');
  // Port 0: the bridge picks a free port and prints it, so parallel runs never collide.
  const args = ['bridge', '--port', '0'];
  for (const origin of allowOrigins) args.push('--allow-origin', origin);
  if (sessionTimeout !== undefined) args.push('--session-timeout', String(sessionTimeout));
  args.push(...extraArgs);
  const proc = spawnWithLines(bin, args, 'kiln bridge');
  const listening = await proc.next(/listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 15_000, { at: 0 });
  const port = Number(listening[1]);
  const codeCursor = { at: 0 };
  const logCursor = { at: 0 };
  /** The next pairing code line: the first one, then each "for the next page". */
  async function nextCode(timeout) {
    const match = await proc.next(/[Pp]airing code[^:]*:\s*(\d{3})\s?(\d{3})\b/, timeout, codeCursor);
    return `${match[1]}${match[2]}`;
  }
  // It listens once it printed its first code.
  const first = await nextCode();
  let pending = first;
  return {
    port,
    address: `127.0.0.1:${port}`,
    /** The pairing code valid now, without using it up (for a test that types a wrong one). */
    async peekCode() {
      if (pending === null) pending = await nextCode();
      return pending;
    },
    /** The pairing code to type now: the first one, then the one printed after each pairing. */
    async code() {
      if (pending === null) pending = await nextCode();
      const code = pending;
      pending = null;
      return code;
    },
    stdout: () => proc.seen.join('\n'),
    stderr: () => proc.stderr(),
    /** Waits for a stdout line matching `pattern` (after the last one this returned). */
    waitForLine: (pattern, timeout) => proc.next(pattern, timeout, logCursor),
    close: () => proc.close(),
  };
}
