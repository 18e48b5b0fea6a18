// A tiny static file server for dist/: used by the e2e harness (on a random port) and by
// scripts/serve.sh (on 127.0.0.1:8080). Plain node:http so nothing has to be installed, and
// the right MIME types, because browsers refuse to stream-compile wasm served as anything but
// application/wasm.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** MIME types for what trunk puts in dist/ (and what later issues will add). */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Maps a URL path to a file inside `root`, or null when it would escape `root`. */
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Answers one request with the file under `root` that its path names, or 404. Always
 * revalidated (`no-cache`): a developer rebuilding dist/ must never see a stale app.
 * @returns {Promise<boolean>} whether a file was served
 */
export async function serveFrom(root, req, res) {
  const file = fileFor(root, req.url ?? '/');
  let body = null;
  if (file && (req.method === 'GET' || req.method === 'HEAD')) {
    body = await readFile(file).catch(() => null);
  }
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return false;
  }
  res.writeHead(200, {
    'content-type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/**
 * Serves the files under `root`. Resolves once listening.
 * @param {{root: string, host?: string, port?: number, log?: (line: string) => void}} options
 *   port 0 (the default) picks a free port.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0, log }) {
  const absRoot = resolve(root);
  const info = await stat(join(absRoot, 'index.html')).catch(() => null);
  if (!info) {
    throw new Error(
      `${absRoot}/index.html does not exist: build the app first (bash scripts/build-web.sh).`,
    );
  }
  const server = createServer(async (req, res) => {
    const served = await serveFrom(absRoot, req, res);
    log?.(`${req.method} ${req.url} ${served ? 200 : 404}`);
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}
