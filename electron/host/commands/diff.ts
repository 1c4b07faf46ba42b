import { fail } from '../cli-util';
import type { ReplayStatus } from '../../../shared/api';
import { compareSources } from '../../engine';
import type { EventSource } from '../../engine';
import type { CliIo } from '../cli-context';
import { EXIT } from '../exit-codes';
import { asksForHelp, optionsHelp, parseArgv, type OptionTable } from '../argv';
import { IGNORE_HELP, ignoreOption } from './ignore-option';
import { openForCli } from './inspect';
import { emitReport, REPORT_HELP } from './report-file';

const DIFF_OPTIONS = {
  connection: {
    type: 'string',
    value: 'ID',
    help: 'the connection of both files (default: the first with frames in each)',
  },
  'connection-a': { type: 'string', value: 'ID', help: 'the connection of the first file' },
  'connection-b': { type: 'string', value: 'ID', help: 'the connection of the second file' },
  ignore: { type: 'string', multiple: true, value: 'LIST', help: IGNORE_HELP },
  'no-default-ignore': { type: 'boolean', help: 'compare times and assigned ids by value too' },
  json: { type: 'boolean', help: "print the report (the replay's ReplayStatus shape) as JSON" },
  report: { type: 'string', value: 'FILE', help: REPORT_HELP },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

export const DIFF_HELP = `Usage: ocpp-scope diff <first> <second> [options]

Compares one recorded connection of two captures (or HAR or pcap files) offline, with the replay's comparison and
report: each side's CALLs and SENDs are paired in order by sender and action, and the requests and answers compared
field by field. Times, currentTime/timestamp and ids a peer assigns (transactionId...) are compared by kind only,
unless told otherwise.

Options:
${optionsHelp(DIFF_OPTIONS)}

Outcomes: matched, differed (with the fields, under /request or /answer), missing (only in the first), unexpected
(only in the second), timed-out (answered in one file, not in the other).
Exit codes: 0 everything matched, 1 something differed, 2 wrong command line, 4 a file missing or unreadable.
`;

interface Opts {
  files: string[];
  connectionA?: string;
  connectionB?: string;
  ignore: string[];
  defaultIgnore: boolean;
  json: boolean;
  report?: string;
}

function parse(argv: string[]): Opts | string {
  const parsed = parseArgv(argv, DIFF_OPTIONS);
  if (!parsed.ok) return parsed.error;
  const v = parsed.values;
  if (v.report === '') return '--report needs a file name (.html or .json)';
  if (parsed.positionals.length !== 2) return 'give exactly two files to compare';
  const o: Opts = {
    files: parsed.positionals,
    ignore: v.ignore ?? [],
    defaultIgnore: v['no-default-ignore'] !== true,
    json: v.json === true,
  };
  const a = v['connection-a'] ?? v.connection;
  const b = v['connection-b'] ?? v.connection;
  if (a !== undefined) o.connectionA = a;
  if (b !== undefined) o.connectionB = b;
  if (v.report !== undefined) o.report = v.report;
  return o;
}

export async function runDiff(argv: string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv, DIFF_OPTIONS)) {
    io.stdout.write(DIFF_HELP);
    return EXIT.ok;
  }
  const o = parse(argv);
  const rules = typeof o === 'string' ? o : ignoreOption(o.ignore, o.defaultIgnore);
  if (typeof o === 'string' || typeof rules === 'string') {
    io.stderr.write(`ocpp-scope diff: ${typeof o === 'string' ? o : rules}\n${DIFF_HELP}`);
    return EXIT.usage;
  }
  const opened: EventSource[] = [];
  try {
    for (const file of o.files) {
      const s = await openForCli(file, io, 'diff');
      if (typeof s === 'number') return s;
      opened.push(s);
    }
    let status: ReplayStatus;
    try {
      status = await compareSources(opened[0]!, opened[1]!, {
        ignore: rules,
        ...(o.connectionA !== undefined ? { connectionA: o.connectionA } : {}),
        ...(o.connectionB !== undefined ? { connectionB: o.connectionB } : {}),
      });
    } catch (e) {
      fail(io, 'diff', (e as Error).message);
      return EXIT.file;
    }
    return await emitReport(status, o, io, 'diff');
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
  }
}
