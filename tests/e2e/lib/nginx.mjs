// Debian's nginx serving a Kiln build with the self-hosting guide's configuration
// (docs/nginx/kiln.conf), for tests/e2e/nginx.test.mjs.
//
//   const nginx = await startNginx({ root: DIST_DIR });   // http://localhost:<port>/
//   …requests, a burn in Chromium…
//   await nginx.accessLog()                                // what reached the server
//   await nginx.stop();
//
// nginx runs as a child process in the foreground with everything (pid, logs, temp dirs) in a
// temp prefix. The docs' file is included unchanged except the lines marked `# TEST:` (loopback
// port, localhost, the build's path, no TLS); a TEST line with an instruction this file does not
// know is an error, so the docs and the test cannot drift apart silently.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './harness.mjs';

/** Debian's nginx binary (override with NGINX). */
export const NGINX_BIN = process.env.NGINX ?? '/usr/sbin/nginx';
/** The configuration the self-hosting guide ships. */
export const DOCS_CONF = join(REPO_ROOT, 'docs', 'nginx', 'kiln.conf');

/**
 * A throwaway self-signed certificate (EC P-256, CN=localhost, valid until 2126) and its key,
 * used only to let `nginx -t` load the shipped TLS configuration. Never served, never trusted.
 */
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIURYzx8cM9JlqXnTgdlVB0uFkpUOcwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEzMDA3MjIzM1oYDzIxMjYxMTA2
MDcyMjMzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASZmR2mHAI54pJdu6JFSn8Ovnqzr7y3KnmAaDBFYjMXMTuKYloqqIiM
NJJKqw/Ja7LP4wDCieu/juVecth6VWsso1MwUTAdBgNVHQ4EFgQUUXsDxo++7HgC
edzj3e4Y5lomyHIwHwYDVR0jBBgwFoAUUXsDxo++7HgCedzj3e4Y5lomyHIwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAwQq6YIgiEJtPlqNSCz77
dxKb/pRkIcPZkFXjBl13gPECIBVwXfXNe+Mdjg/cBljYc4jPmlipimIZvGOXg0vD
7Qjs
-----END CERTIFICATE-----
`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdxHahuDUWYd61IHG
A2F0IxlxVRCiR+L4KKh5m+vqyUehRANCAASZmR2mHAI54pJdu6JFSn8Ovnqzr7y3
KnmAaDBFYjMXMTuKYloqqIiMNJJKqw/Ja7LP4wDCieu/juVecth6VWss
-----END PRIVATE KEY-----
`;

/** Throws a clear error when Debian's nginx is missing (the test must fail, not skip). */
export function requireNginx() {
  if (!existsSync(NGINX_BIN)) {
    throw new Error(
      `Debian's nginx is not installed (${NGINX_BIN} is missing): run \`bash scripts/bootstrap.sh\`, ` +
        'which installs the nginx package (or `apt-get install nginx`).',
    );
  }
}

/**
 * The docs' configuration with each `# TEST:` line rewritten for a local run, every other line
 * unchanged. `port` null keeps TLS (only the certificate paths change): for `nginx -t` of the
 * file as shipped.
 */
export function testConfiguration(text, { port, root, cert, key }) {
  const known = new Set();
  const lines = text.split('\n').flatMap((line) => {
    const marker = line.match(/^(\s*)(\S.*?)\s*#\s*TEST:\s*(.+?)\s*$/);
    if (!marker) return [line];
    const [, indent, directive, instruction] = marker;
    known.add(instruction);
    const name = directive.split(/\s+/)[0];
    if (port === null) {
      // Syntax check of the shipped file: only swap the certificate paths.
      if (name === 'ssl_certificate') return [`${indent}ssl_certificate ${cert};`];
      if (name === 'ssl_certificate_key') return [`${indent}ssl_certificate_key ${key};`];
      return [`${indent}${directive}`];
    }
    switch (instruction) {
      case 'replaced by a loopback port':
        return [`${indent}listen 127.0.0.1:${port};`];
      case 'replaced by localhost':
        return [`${indent}server_name localhost;`];
      case 'replaced by the dist/ path':
        return [`${indent}root ${root};`];
      case 'removed':
        return [];
      default:
        throw new Error(`docs/nginx/kiln.conf: unknown "# TEST: ${instruction}" (tests/e2e/lib/nginx.mjs)`);
    }
  });
  assert.ok(known.size > 0, 'docs/nginx/kiln.conf has no "# TEST:" lines');
  return lines.join('\n');
}

/** The http {} block around the docs' server (what Debian's nginx.conf would provide, minimal). */
function mainConfiguration(prefix, include) {
  const root = process.getuid?.() === 0;
  return [
    // Workers must read the build and write the temp prefix; as root they would become nobody.
    root ? 'user root;' : '',
    'worker_processes 1;',
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log ${prefix}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${prefix}/${t};`),
    `    include ${include};`,
    '}',
    '',
  ].join('\n');
}

const freePort = () =>
  new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });

/**
 * Runs `nginx -t` on the docs' configuration as shipped (TLS, HTTP/2, IPv6; only the certificate
 * paths point at a throwaway certificate). Returns nginx's output; throws when the test fails.
 */
export async function checkShippedConfiguration() {
  requireNginx();
  const prefix = await mkdtemp(join(tmpdir(), 'kiln-nginx-t-'));
  try {
    const cert = join(prefix, 'test.pem');
    const key = join(prefix, 'test.key');
    await writeFile(cert, TEST_CERT);
    await writeFile(key, TEST_KEY, { mode: 0o600 });
    const conf = testConfiguration(await readFile(DOCS_CONF, 'utf8'), { port: null, cert, key });
    await writeFile(join(prefix, 'kiln.conf'), conf);
    await writeFile(join(prefix, 'nginx.conf'), mainConfiguration(prefix, join(prefix, 'kiln.conf')));
    const { stdout, stderr } = await promisify(execFile)(NGINX_BIN, [
      '-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `pid ${prefix}/nginx.pid;`,
    ]).catch((error) => {
      throw new Error(`nginx -t rejects docs/nginx/kiln.conf as shipped:\n${error.stderr ?? error.message}`);
    });
    return `${stdout}${stderr}`;
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
}

/**
 * Starts nginx serving `root` with the docs' configuration on a free loopback port.
 * @returns {Promise<{url: string, port: number, prefix: string, accessLog: () => Promise<string>,
 *   errorLog: () => Promise<string>, stop: () => Promise<void>}>}
 */
export async function startNginx({ root }) {
  requireNginx();
  const prefix = await mkdtemp(join(tmpdir(), 'kiln-nginx-'));
  const port = await freePort();
  const conf = testConfiguration(await readFile(DOCS_CONF, 'utf8'), { port, root: resolve(root) });
  await writeFile(join(prefix, 'kiln.conf'), conf);
  await writeFile(join(prefix, 'nginx.conf'), mainConfiguration(prefix, join(prefix, 'kiln.conf')));
  const child = spawn(
    NGINX_BIN,
    ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${prefix}/nginx.pid;`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited = null;
  const exit = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit((exited = { code, signal }))));
  const readLog = (name) => readFile(join(prefix, name), 'utf8').catch(() => '');

  const url = `http://localhost:${port}/`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      throw new Error(`nginx exited (${JSON.stringify(exited)}) before serving:\n${output}${await readLog('error.log')}`);
    }
    // The only server on this port, so it answers whatever the Host header says.
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`nginx did not answer on port ${port} within 15 s:\n${output}${await readLog('error.log')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    prefix,
    accessLog: () => readLog('access.log'),
    errorLog: () => readLog('error.log'),
    async stop() {
      if (!exited) {
        child.kill('SIGQUIT'); // graceful: finish requests, then exit
        await Promise.race([exit, new Promise((r) => setTimeout(r, 5000))]);
        if (!exited) child.kill('SIGKILL');
        await exit;
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
