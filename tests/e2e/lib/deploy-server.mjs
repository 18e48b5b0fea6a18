// A static server for the privacy and offline tests that also acts as "the network":
// it logs every request it receives (what really left the browser), can switch to another build
// at the same origin (a deployment), can be taken down (offline), and can answer some paths
// slowly (a slow connection while a new version downloads).
//
//   const site = await startDeployServer({ root: DIST_DIR });
//   site.log                          // [{method, path, at}] every request that arrived
//   site.deploy(otherDist)            // the next requests get the other build's files
//   site.delay(/_bg\.wasm$/, 2000)    // matching paths answer 2 s late
//   await site.close()
import { createServer } from 'node:http';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serveFrom } from './static-server.mjs';

/** Starts serving `root` on 127.0.0.1 (a free port unless `port` is given). */
export async function startDeployServer({ root, port = 0, host = '127.0.0.1' }) {
  let current = resolve(root);
  if (!(await stat(join(current, 'index.html')).catch(() => null))) {
    throw new Error(`${current}/index.html does not exist: build the app first (bash scripts/build-web.sh).`);
  }
  const log = [];
  const delays = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    log.push({ method: req.method, path, at: Date.now() });
    const wait = delays.find((d) => d.pattern.test(path));
    if (wait) await new Promise((r) => setTimeout(r, wait.ms));
    await serveFrom(current, req, res);
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => resolveListen());
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}/`,
    origin: `http://${host}:${actualPort}`,
    port: actualPort,
    log,
    /** Serves `dir` from now on (same origin). */
    deploy(dir) {
      current = resolve(dir);
    },
    /** Answers paths matching `pattern` `ms` late. */
    delay(pattern, ms) {
      delays.push({ pattern, ms });
    },
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}
