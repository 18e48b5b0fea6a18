// The native `kiln` CLI for the browser tests that check the app's output with Kiln's own
// decoder and classifier (`kiln --json inspect`). Built by scripts/test.sh
// (`cargo build -p kiln-cli --bin kiln`) before the e2e phase. KILN_CLI_BIN overrides its path;
// otherwise it is looked up in $CARGO_TARGET_DIR (or target/) under debug/ and release/.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './harness.mjs';

/** Where the kiln binary is (the newest of debug/ and release/ unless KILN_CLI_BIN says). */
export function cliBinaryPath() {
  if (process.env.KILN_CLI_BIN) return resolve(process.env.KILN_CLI_BIN);
  const targetDir = resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
  const candidates = ['debug', 'release']
    .map((profile) => join(targetDir, profile, 'kiln'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates.length === 0) {
    throw new Error(
      `the kiln CLI is not built (looked in ${targetDir}/{debug,release}/kiln): run ` +
        '`cargo build -p kiln-cli --bin kiln`, or set KILN_CLI_BIN.',
    );
  }
  return candidates[0];
}

/** Runs a program with `stdin`; resolves with its exit status, stdout and stderr. */
export function run(program, args, stdin = '') {
  return new Promise((resolveRun, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * `kiln --json inspect --reveal`: of `text` (given on stdin, never on the command line) or, with
 * `{ image }`, of the QR code in that picture (Kiln's own decoder). Returns the parsed JSON.
 */
export async function kilnInspect({ text, image }) {
  const args = ['--json', 'inspect', '--reveal', ...(image ? ['--image', image] : ['-'])];
  const { status, stdout, stderr } = await run(cliBinaryPath(), args, text ?? '');
  if (status !== 0) throw new Error(`kiln inspect exited ${status}: ${stdout} ${stderr}`);
  return JSON.parse(stdout);
}
