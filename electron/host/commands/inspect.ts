import { encodeEventBody } from '../../../shared/capture/format';
import { queryFromOptions } from '../../../shared/capture/query';
import type { ScopeEvent } from '../../../shared/capture/events';
import { transferSummary } from '../../../shared/capture/transfer-text';
import { MESSAGE_TYPE_NAME } from '../../../shared/ocpp/frame-types';
import type { EventSource, SourceStats } from '../../engine';
import { openSourceFile } from '../../engine';
import type { CliIo } from '../cli-context';
import { asksForHelp, optionsHelp, parseArgv, type OptionTable } from '../argv';
import { EXIT } from '../exit-codes';
import { QUERY_OPTIONS } from './query-options';
import { terminalProgress } from '../progress';
import type { Spooled } from './stdio-files';
import { spoolStdin, STDIO } from './stdio-files';

const INSPECT_OWN_OPTIONS = {
  events: { type: 'boolean', help: 'print events even without a filter' },
  offset: { type: 'string', value: 'N', help: 'skip the first N matches (default 0)' },
  limit: { type: 'string', value: 'N', help: 'print at most N matches (default 100; 0 = all)' },
  json: {
    type: 'boolean',
    help: 'print the summary, or each event, as JSON (events as capture lines)',
  },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

export const INSPECT_HELP = `Usage: ocpp-scope inspect <file | -> [filters] [options]

Opens a capture (.ocppcap.jsonl), a HAR or a pcap/pcapng file by streaming and prints a summary: connections,
actions, findings and round-trip times. With a filter (or --events) prints the matching events instead, one a line.
A file name of - reads the file from stdin (any of the formats).

Filters (the UI's filter bar language; the flags below are shorthands, ANDed with it):
${optionsHelp(QUERY_OPTIONS)}

Options:
${optionsHelp(INSPECT_OWN_OPTIONS)}

Exit codes: 0 read (problems in the file are reported on stderr), 2 wrong command line, 4 file missing or unreadable.
`;

function fmtTime(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}

export function describeEvent(e: ScopeEvent): string {
  const head = `${String(e.seq).padStart(7)}  ${fmtTime(e.t)}  ${e.conn}`;
  switch (e.kind) {
    case 'frame': {
      const type = e.msg ? MESSAGE_TYPE_NAME[e.msg.type] : e.binary ? 'BINARY' : 'INVALID';
      const flags =
        e.findings.length + (e.problem ? 1 : 0) > 0
          ? `  [${[...e.findings.map((f) => f.code), ...(e.problem ? [e.problem.code] : [])].join(', ')}]`
          : '';
      const rtt = e.pair?.rttMs !== undefined ? `  ${e.pair.rttMs.toFixed(1)} ms` : '';
      const text = e.text.length > 200 ? `${e.text.slice(0, 200)}...` : e.text;
      return `${head}  ${e.sender === 'station' ? 'station ->' : '<- csms  '}  ${type} ${e.msg?.action ?? ''}${rtt}${flags}\n           ${text}`;
    }
    case 'opened':
      return `${head}  opened ${e.ok ? 'ok' : 'FAILED'}  ${e.connection.identity}  ${e.connection.url}  ${e.handshake.chosenProtocol ?? '(no subprotocol)'}${e.handshake.failure ? `  ${e.handshake.failure.code}: ${e.handshake.failure.message}` : ''}`;
    case 'closed':
      return `${head}  closed ${e.code} ${e.reason} (by ${e.by}${e.clean ? '' : ', not clean'})`;
    case 'ping':
    case 'pong':
      return `${head}  ${e.kind} from ${e.sender} ${e.data}`;
    case 'error':
      return `${head}  error ${e.code}: ${e.message}`;
    case 'note':
      return `${head}  note (${e.source}) ${e.text}`;
    case 'transfer':
      return `${head}  transfer ${transferSummary(e)}`;
  }
}

export function formatStats(name: string, s: SourceStats): string[] {
  const lines = [`${name}: ${s.events} events, ${s.frames} frames, ${s.withFindings} with findings`];
  if (s.firstT !== undefined && s.lastT !== undefined)
    lines.push(`time: ${fmtTime(s.firstT)} .. ${fmtTime(s.lastT)}`);
  lines.push('', 'connections:');
  for (const c of s.connections) {
    lines.push(
      `  ${c.id.padEnd(12)} ${(c.identity || '?').padEnd(20)} ${(c.version ?? '').padEnd(6)} ${c.frames} frames, ${c.findings} findings`,
    );
  }
  const actions = Object.entries(s.actions).sort((a, b) => b[1] - a[1]);
  if (actions.length) {
    lines.push('', 'actions (frames):');
    for (const [a, n] of actions) {
      const r = s.rtt.byAction[a];
      lines.push(
        `  ${a.padEnd(36)} ${String(n).padStart(8)}${r && r.count ? `   rtt p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms` : ''}`,
      );
    }
  }
  if (s.rtt.count) {
    lines.push(
      '',
      `round trips: ${s.rtt.count}, mean ${s.rtt.mean.toFixed(1)} ms, p50 ${s.rtt.p50.toFixed(1)} ms, p95 ${s.rtt.p95.toFixed(1)} ms, max ${s.rtt.max.toFixed(1)} ms`,
    );
  }
  const codes = Object.entries(s.findingCodes).sort((a, b) => b[1] - a[1]);
  if (codes.length) {
    lines.push('', 'findings:');
    for (const [c, n] of codes) lines.push(`  ${c.padEnd(36)} ${String(n).padStart(8)}`);
  }
  return lines;
}

function wholeNumber(name: string, text: string | undefined, fallback: number, errors: string[]): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() !== '' && Number.isInteger(v) && v >= 0) return v;
  errors.push(`--${name} needs a whole number`);
  return fallback;
}

export async function openForCli(path: string, io: CliIo, command: string): Promise<EventSource | number> {
  let source: EventSource;
  let spooled: Spooled | undefined;
  const progress = terminalProgress(io.stderr, 'Reading');
  try {
    if (path === STDIO) spooled = await spoolStdin(io);
    source = await openSourceFile(spooled?.path ?? path, {
      id: 'cli',
      onProgress: (s) => progress.update(`${s.info().events.toLocaleString('en')} events indexed`),
    });
    await source.whenIndexed();
    progress.done();
  } catch (e) {
    progress.done();
    await spooled?.dispose();
    io.stderr.write(`ocpp-scope ${command}: ${(e as Error).message}\n`);
    return EXIT.file;
  }
  // The reader holds the file open (or read it into memory): the name can go now, the data stays until close.
  await spooled?.dispose().catch(() => undefined);
  const info = source.info();
  for (const f of info.findings)
    io.stderr.write(`ocpp-scope ${command}: ${info.name}: ${f.message} [${f.code}]\n`);
  if (info.events === 0 && info.findings.some((f) => f.severity === 'error')) {
    await source.close();
    return EXIT.file;
  }
  return source;
}

export async function runInspect(argv: string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv, { ...QUERY_OPTIONS, ...INSPECT_OWN_OPTIONS })) {
    io.stdout.write(INSPECT_HELP);
    return EXIT.ok;
  }
  const parsed = parseArgv(argv, { ...QUERY_OPTIONS, ...INSPECT_OWN_OPTIONS });
  if (!parsed.ok) {
    io.stderr.write(`ocpp-scope inspect: ${parsed.error}\n${INSPECT_HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const errors: string[] = [];
  const offset = wholeNumber('offset', values.offset, 0, errors);
  const limit = wholeNumber('limit', values.limit, 100, errors);
  const { query, errors: qErrors } = queryFromOptions(values);
  errors.push(...qErrors);
  const json = values.json === true;
  const showEvents = values.events === true;
  if (positionals.length !== 1) errors.push('give exactly one file');
  if (errors.length) {
    io.stderr.write(`ocpp-scope inspect: ${errors.join('; ')}\n${INSPECT_HELP}`);
    return EXIT.usage;
  }
  const opened = await openForCli(positionals[0]!, io, 'inspect');
  if (typeof opened === 'number') return opened;
  const source = opened;
  try {
    const filtered = Object.keys(query).length > 0;
    // Clock times in --filter (since:14:03) are on the capture's own day, as in the UI.
    if (query.filter !== undefined) query.filterBase = source.stats().firstT ?? Date.now();
    if (!filtered && !showEvents) {
      const stats = source.stats();
      if (json) io.stdout.write(JSON.stringify({ source: source.info(), stats }) + '\n');
      else io.stdout.write(formatStats(source.name, stats).join('\n') + '\n');
      return EXIT.ok;
    }
    const pageSize = 1000;
    let printed = 0;
    let total = 0;
    for (let off = offset; ; off += pageSize) {
      const want = limit === 0 ? pageSize : Math.min(pageSize, limit - printed);
      if (want <= 0) break;
      const page = await source.query(query, off, want);
      total = page.total;
      for (const e of page.events) io.stdout.write((json ? encodeEventBody(e) : describeEvent(e)) + '\n');
      printed += page.events.length;
      if (page.events.length < want || io.signal.aborted) break;
    }
    if (!json && !io.signal.aborted) io.stderr.write(`${printed} of ${total} matching event(s) shown.\n`);
    return io.signal.aborted ? EXIT.interrupted : EXIT.ok;
  } finally {
    await source.close();
  }
}
