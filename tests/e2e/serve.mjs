// Serves the release build (dist/) for people: `node tests/e2e/serve.mjs [--port 8080]`.
// scripts/serve.sh builds first and then runs this. Same server as the e2e tests use, so what
// you look at is what the tests check.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST_DIR } from './lib/harness.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    dist: { type: 'string', default: DIST_DIR },
    quiet: { type: 'boolean', default: false },
  },
});

try {
  const server = await startStaticServer({
    root: resolve(values.dist),
    host: values.host,
    port: Number(values.port),
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`\nKiln is served at ${server.url}  (Ctrl+C stops it)\n`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `Port ${values.port} on ${values.host} is already in use. Stop the other server, or pick ` +
        `another port: PORT=8081 bash scripts/serve.sh`,
    );
  } else {
    console.error(error.message);
  }
  process.exit(1);
}
