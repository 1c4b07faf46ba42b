// Entry for end-to-end tests: runs the real dispatcher in a child process, as bin/ocpp-scope.mjs does.
import { main } from '../../../electron/host/cli';

process.exitCode = await main(process.argv.slice(2));
