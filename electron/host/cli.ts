import { runDiff } from './commands/diff';
import type { CliIo, CommandRunner } from './cli-context';
import { processIo } from './cli-context';
import { runCheck } from './commands/check';
import { runConnect } from './commands/connect';
import { runConvert } from './commands/convert';
import { runFiles } from './commands/files';
import { runInspect } from './commands/inspect';
import { runListen } from './commands/listen';
import { runProxy } from './commands/proxy';
import { runReplay } from './commands/replay';
import { runSend } from './commands/send';
import { runServe } from './commands/serve';
import { runSimulate } from './commands/simulate';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import { UsageError } from './cli-util';
import { usageLine } from './argv';

/**
 * The `ocpp-scope` command: one dispatcher for every subcommand, over a static table (a renamed runner is a type
 * error, never a run-time "not available").
 */

export const VERSION = '0.1.0';

interface CommandSpec {
  summary: string;
  run: CommandRunner;
}

export const COMMANDS: Record<string, CommandSpec> = {
  serve: { summary: 'serve the UI and the engine to a browser on 127.0.0.1 (with a token)', run: runServe },
  listen: {
    summary: 'act as a CSMS: accept chargers on a port and answer them automatically',
    run: runListen,
  },
  connect: {
    summary: 'act as a charging station: connect to a CSMS and send frames read from stdin',
    run: runConnect,
  },
  proxy: {
    summary: 'stand in the middle: forward chargers to a CSMS, recording every frame both ways',
    run: runProxy,
  },
  send: { summary: 'connect to a CSMS as a station, send one frame, print the answer, exit', run: runSend },
  replay: {
    summary: 'replay one side of a capture against a live peer and report the differences',
    run: runReplay,
  },
  convert: {
    summary: 'convert between captures, HAR and pcap/pcapng (by file extension)',
    run: runConvert,
  },
  inspect: { summary: 'summarise and search a capture (same filters as the UI)', run: runInspect },
  simulate: { summary: 'run simulated charging stations (one or a fleet) against a CSMS', run: runSimulate },
  check: {
    summary: 'run a test suite against a charger or a CSMS and print a verdict per case',
    run: runCheck,
  },
  files: {
    summary: 'serve files to chargers (HTTP, HTTPS, FTP, FTPS): diagnostics, logs, firmware',
    run: runFiles,
  },
  diff: {
    summary: "compare one connection of two captures offline, with the replay's report",
    run: runDiff,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`);
  return `OCPP Scope ${VERSION}: a diagnostic tool for OCPP-J (1.6J, 2.0.1, 2.1).

Usage: ocpp-scope <command> [options]
       ocpp-scope <command> --help     help for one command

Commands:
${lines.join('\n')}

Most commands accept --json to print machine-readable lines when the output is piped.

${EXIT_CODES_HELP}
`;
}

/** Runs one command line with the given io; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(usage());
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(usage());
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  let name = first;
  let args = rest;
  if (first === 'help') {
    if (rest[0] === undefined) {
      io.stdout.write(usage());
      return EXIT.ok;
    }
    name = rest[0];
    args = ['--help'];
  }
  const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!spec) {
    io.stderr.write(
      `ocpp-scope: unknown command "${name}"; run \`ocpp-scope --help\` for the list of commands.\n`,
    );
    return EXIT.usage;
  }
  try {
    return await spec.run(args, io);
  } catch (error) {
    // A wrong command line thrown from deep inside a command is still a usage error, not an internal one.
    if (error instanceof UsageError) {
      io.stderr.write(usageLine(name, error.message));
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`ocpp-scope ${name}: unexpected error: ${message}\n`);
    return EXIT.internal;
  }
}

/** The entry point bin/ocpp-scope.mjs calls. */
export async function main(argv: string[]): Promise<number> {
  const { io, dispose, outputClosed } = processIo();
  try {
    const code = await runCli(argv, io);
    // The reader of our output went away (| head): it had what it wanted, which is success, not interruption.
    return outputClosed() ? EXIT.ok : code;
  } finally {
    dispose();
  }
}
