#!/usr/bin/env node
// The `ocpp-scope` command: runs the bundled CLI that `npm install` (prepare) builds into dist/node.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/node/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error(
    'ocpp-scope: the command line is not built yet; run `npm run build:node` in the checkout first.',
  );
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
