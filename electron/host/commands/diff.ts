import { fail, wantsHelp } from '../cli-util';
import type { ReplayStatus } from '../../../shared/api';
import { compareSources } from '../../engine';
import type { EventSource } from '../../engine';
import type { CliIo } from '../cli-context';
import { EXIT } from '../exit-codes';
import { ignoreOption } from './ignore-option';
import { openForCli } from './inspect';
import { emitReport } from './report-file';

export const DIFF_HELP = `Usage: ocpp-scope diff <first> <second> [options]

Compares one recorded connection of two captures (or HAR or pcap files) offline, with the replay's comparison and
report: each side's CALLs and SENDs are paired in order by sender and action, and the requests and answers compared
field by field. Times, currentTime/timestamp and ids a peer assigns (transactionId...) are compared by kind only,
unless told otherwise.

Options:
  --connection ID       the connection of both files (default: the first with frames in each)
  --connection-a ID     the connection of the first file
  --connection-b ID     the connection of the second file
  --ignore LIST         also compare these by kind only: field names or JSON pointers into the payload
                        (/meterValue/*/timestamp), comma-separated
  --no-default-ignore   compare times and assigned ids by value too
  --json                print the report (the replay's ReplayStatus shape) as JSON
  --report FILE         also write the labelled report: FILE.html (a page to share) or FILE.json
  -h, --help            this help

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
  const o: Opts = { files: [], ignore: [], defaultIgnore: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--connection':
        o.connectionA = o.connectionB = value();
        break;
      case '--connection-a':
        o.connectionA = value();
        break;
      case '--connection-b':
        o.connectionB = value();
        break;
      case '--ignore':
        o.ignore.push(value() ?? '');
        break;
      case '--no-default-ignore':
        o.defaultIgnore = false;
        break;
      case '--json':
        o.json = true;
        break;
      case '--report':
        o.report = value();
        if (!o.report) return '--report needs a file name (.html or .json)';
        break;
      default:
        if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
        o.files.push(a);
    }
  }
  if (o.files.length !== 2) return 'give exactly two files to compare';
  return o;
}

export async function runDiff(argv: string[], io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
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
