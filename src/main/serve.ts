/**
 * `npm run serve -- [--port N]`: the whole app at a loopback address, for PCs without the desktop shell.
 * `--port 0` picks a free port. Prints `Interphase running at http://127.0.0.1:PORT/`.
 */
import { defaultRendererRoot, startBrowserServer } from './browser-server';

/** The port users get without --port; when it is taken, a free one is used instead. */
const DEFAULT_PORT = 4180;

function parsePort(argv: string[]): number | undefined {
  const at = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (at === -1) return undefined;
  const raw = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`interphase serve: --port takes 0–65535, got ${JSON.stringify(raw)}\n`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  let server;
  try {
    server = await startBrowserServer(defaultRendererRoot(), port ?? DEFAULT_PORT);
  } catch (error) {
    if (port !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    server = await startBrowserServer(defaultRendererRoot(), 0);
  }
  process.stdout.write(`Interphase running at ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  process.stderr.write(
    `interphase serve: ${code === 'EADDRINUSE' ? 'that port is in use; try --port 0' : error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
