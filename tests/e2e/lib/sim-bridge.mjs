// The simulated reader + token for browser tests: spawns the `kiln-sim` binary (crates/kiln-sim,
// src/bin/kiln-sim.rs) and talks its line protocol (one JSON request per line on stdin, one JSON
// answer per line on stdout, in order; documented in crates/kiln-sim/src/bridge/mod.rs).
//
//   const sim = await startSimBridge();
//   await sim.device({ reader: 'pn533', serial: '8659622000123' });
//   await sim.fault({ ins: 'write_seed', fault: 'removed_after' });
//   const { token } = await sim.state();   // seed_hex, displayed_code, received APDUs, …
//   sim.close();
//
// The binary is built by scripts/test.sh (`cargo build -p kiln-sim --bin kiln-sim`) before the
// e2e phase. KILN_SIM_BIN overrides its path; otherwise it is looked up in
// $CARGO_TARGET_DIR (or target/) under debug/ and release/.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './harness.mjs';

/** Where the kiln-sim binary is (the newest of debug/ and release/ unless KILN_SIM_BIN says). */
export function simBinaryPath() {
  if (process.env.KILN_SIM_BIN) return resolve(process.env.KILN_SIM_BIN);
  const targetDir = resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
  const candidates = ['debug', 'release']
    .map((profile) => join(targetDir, profile, 'kiln-sim'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates.length === 0) {
    throw new Error(
      `the kiln-sim binary is not built (looked in ${targetDir}/{debug,release}/kiln-sim): run ` +
        '`cargo build -p kiln-sim --bin kiln-sim`, or set KILN_SIM_BIN.',
    );
  }
  return candidates[0];
}

/**
 * Starts one simulator process. Every method sends one request and resolves with the answer
 * object; a request the simulator refuses (`ok: false`) rejects with its message.
 */
export async function startSimBridge({ bin = simBinaryPath() } = {}) {
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting = [];
  let stderr = '';
  let exited = null;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (!next) return;
    try {
      next.resolve(JSON.parse(line));
    } catch (error) {
      next.reject(new Error(`kiln-sim answered something that is not JSON: ${line}`));
    }
  });
  const failAll = (why) => {
    while (waiting.length > 0) waiting.shift().reject(new Error(why));
  };
  child.on('exit', (code, signal) => {
    exited = `kiln-sim exited (code ${code}, signal ${signal})${stderr ? `: ${stderr}` : ''}`;
    failAll(exited);
  });
  child.on('error', (error) => {
    exited = `kiln-sim could not run (${bin}): ${error.message}`;
    failAll(exited);
  });
  child.stdin.on('error', () => {}); // reported through 'exit'

  /** Sends one request; resolves with the raw answer (ok true or false). */
  function send(request) {
    if (exited) return Promise.reject(new Error(exited));
    return new Promise((resolveAnswer, rejectAnswer) => {
      waiting.push({ resolve: resolveAnswer, reject: rejectAnswer });
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Sends one request; rejects when the simulator refuses it. */
  async function request(req) {
    const answer = await send(req);
    if (!answer.ok) throw new Error(`kiln-sim refused ${JSON.stringify(req)}: ${answer.error}`);
    return answer;
  }

  // Wait until the process runs (a missing or broken binary fails here, clearly).
  await new Promise((resolveSpawn, rejectSpawn) => {
    child.once('spawn', resolveSpawn);
    child.once('error', rejectSpawn);
  });

  return {
    /** The raw request, for the fake USB device (answers are passed on as they are). */
    send,
    request,
    /** A new reader with a new token: `{reader: 'pn533'|'ccid', serial, seed_hex?, …}`. */
    device: (spec) => request({ op: 'device', ...spec }),
    /** Token snapshot and reader state. */
    state: () => request({ op: 'state' }),
    /** A token fault `{ins, fault, status?, hex?}` or a reader fault `{reader}`. */
    fault: (spec) => request({ op: 'fault', ...spec }),
    removeToken: () => request({ op: 'remove_token' }),
    putBackToken: () => request({ op: 'put_back_token' }),
    /** Another token on the same reader, which stays plugged: `{serial, seed_hex?, …}`. */
    replaceToken: (spec) => request({ op: 'replace_token', ...spec }),
    unplug: () => request({ op: 'unplug' }),
    plugIn: () => request({ op: 'plug_in' }),
    /** Ends the process (closing stdin is enough; the kill is for a stuck one). */
    close() {
      if (exited) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    },
  };
}
