import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgvOrThrow } from '../argv';
import { loadedSettingsNotice, SettingsStore } from '../../common/settings-store';
import { ScopeEngine } from '../../engine';
import type { CliIo } from '../cli-context';
import { untilAborted } from '../cli-context';
import { checkPort, cliDataDir, fail } from '../cli-util';
import { EXIT } from '../exit-codes';
import { defaultRendererRoot } from '../../common/renderer-files';
import { startServe } from '../serve';

export const SERVE_HELP = `Usage: ocpp-scope serve [--port N] [--data-dir DIR] [--json]

Starts the engine and serves the OCPP Scope UI to a browser on 127.0.0.1 only, with a random token in the address
(a page without the token gets 403). Open the printed address in a browser. Stops on Ctrl+C.

Options:
  --port N         the port to serve on (default: a free port)
  --data-dir DIR   where settings and recordings are kept (default: ~/.ocpp-scope)
  --json           print {"url": ..., "bridge": ...} as one JSON line instead of a sentence
  -h, --help       this help
`;

export async function runServe(argv: string[], io: CliIo): Promise<number> {
  let values: { port?: string; 'data-dir'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgvOrThrow(
      argv,
      {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      { positionals: false },
    ));
  } catch (error) {
    fail(io, 'serve', `${(error as Error).message}; see \`ocpp-scope serve --help\`.`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT.ok;
  }
  const checked = values.port === undefined ? { port: 0 } : checkPort(values.port);
  if ('error' in checked) {
    fail(io, 'serve', checked.error);
    return EXIT.usage;
  }
  const port = checked.port;
  const dataDir = cliDataDir(io, values['data-dir']);
  // Settings persist in the data folder, as the app keeps them in its user-data folder.
  const store = new SettingsStore(dataDir);
  const loaded = store.load();
  const notice = loadedSettingsNotice(loaded);
  if (notice) io.stderr.write(`ocpp-scope serve: ${notice}\n`);
  const engine = new ScopeEngine({
    dataDir,
    settings: { load: () => store.get(), save: (s) => store.save(s) },
  });
  const rendererRoot = defaultRendererRoot(dirname(fileURLToPath(import.meta.url)));
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    io.stderr.write(
      `ocpp-scope serve: warning: the UI is not built (${rendererRoot} has no index.html); run \`npm run build\`.\n`,
    );
  }
  let handle;
  try {
    handle = await startServe({ engine, port, rendererRoot });
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      io,
      'serve',
      code === 'EADDRINUSE'
        ? `port ${port} is already in use; choose another with --port.`
        : (error as Error).message,
    );
    return EXIT.connection;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ url: handle.url, bridge: handle.bridgeUrl })}\n`);
  } else {
    io.stdout.write(`OCPP Scope is serving on ${handle.url}\n`);
    io.stdout.write(
      'Open this address in a browser; only this machine can reach it. Press Ctrl+C to stop.\n',
    );
  }
  await untilAborted(io.signal);
  await handle.close();
  await engine.close();
  return EXIT.ok;
}
