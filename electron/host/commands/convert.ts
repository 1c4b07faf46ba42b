import { extname } from 'node:path';
import { matchesQuery, queryFromOptions } from '../../../shared/capture/query';
import { exportToFile, MemorySource, TOOL_NAME, TOOL_VERSION } from '../../engine';
import { formatRedactionReport } from '../../../shared/capture/redaction-report';
import type { RedactionReportItem } from '../../../shared/capture/redaction-report';
import type { EventSource } from '../../engine';
import type { CliIo } from '../cli-context';
import { asksForHelp, optionsHelp, parseArgv, type OptionTable } from '../argv';
import { EXIT } from '../exit-codes';
import { QUERY_OPTIONS } from './query-options';
import { openForCli } from './inspect';
import { STDIO, stdoutFile } from './stdio-files';

const CONVERT_OWN_OPTIONS = {
  format: {
    type: 'string',
    value: 'capture|har',
    help: 'the output format (default: from the output file name; a capture for -)',
  },
  'no-redact': { type: 'boolean', help: 'keep secrets as they are (see above)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

export const CONVERT_HELP = `Usage: ocpp-scope convert <input | -> <output | -> [filters] [--no-redact] [--format capture|har]

Converts between OCPP Scope captures (.ocppcap.jsonl or .jsonl), HAR (.har, as Chrome DevTools writes WebSocket
entries) and, as input only, pcap/pcapng from tcpdump or Wireshark (unencrypted ws:// traffic). The output format
follows the output file's extension; - reads the input from stdin and writes the output to stdout (a capture
unless --format har).

Secrets are redacted by default so the result can be shared: Authorization and Cookie headers and every header not
on a short list of harmless ones, Basic-auth passwords, passwords and tokens in URLs, AuthorizationKey,
BasicAuthPassword and similar payload values, VPN keys, PEM private keys, JWTs, and password=/token= pairs in any
text. What was replaced is printed by rule, with counts. --no-redact keeps everything.

Options:
${optionsHelp(CONVERT_OWN_OPTIONS)}

Filters (as in 'ocpp-scope inspect'; they keep only matching events):
${optionsHelp(QUERY_OPTIONS)}

Exit codes: 0 converted, 2 wrong command line, 4 input missing, unreadable or not a capture, or output not writable.
`;

export async function runConvert(argv: string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv, { ...QUERY_OPTIONS, ...CONVERT_OWN_OPTIONS })) {
    io.stdout.write(CONVERT_HELP);
    return EXIT.ok;
  }
  const parsed = parseArgv(argv, { ...QUERY_OPTIONS, ...CONVERT_OWN_OPTIONS });
  if (!parsed.ok) {
    io.stderr.write(`ocpp-scope convert: ${parsed.error}\n${CONVERT_HELP}`);
    return EXIT.usage;
  }
  const { values, positionals: files } = parsed;
  const { query, errors } = queryFromOptions(values);
  const asked = values.format;
  if (asked !== undefined && asked !== 'capture' && asked !== 'har')
    errors.push('--format is capture or har');
  const redact = values['no-redact'] !== true;
  if (files.length !== 2) errors.push('give an input and an output file');
  const out = files[1] ?? '';
  const ext = extname(out).toLowerCase();
  const toStdout = out === STDIO;
  const byName = ext === '.har' ? 'har' : ext === '.jsonl' ? 'capture' : undefined;
  const format = asked === 'har' || asked === 'capture' ? asked : toStdout ? 'capture' : byName;
  if (files.length === 2 && !format) {
    errors.push(
      ext === '.pcap' || ext === '.pcapng'
        ? 'writing pcap is not supported (captures keep frames, not packets); write .ocppcap.jsonl or .har'
        : `cannot tell the output format from "${ext || out}": use .ocppcap.jsonl, .jsonl or .har`,
    );
  }
  if (errors.length) {
    io.stderr.write(`ocpp-scope convert: ${errors.join('; ')}\n${CONVERT_HELP}`);
    return EXIT.usage;
  }
  const opened = await openForCli(files[0]!, io, 'convert');
  if (typeof opened === 'number') return opened;
  let source: EventSource = opened;
  try {
    if (Object.keys(query).length > 0) {
      if (query.filter !== undefined) query.filterBase = source.stats().firstT ?? Date.now();
      const ids = new Map(source.connections().map((c) => [c.id, c.identity]));
      const kept = [];
      for await (const e of source.events()) {
        if (e.kind === 'opened') ids.set(e.conn, e.connection.identity);
        if (matchesQuery(e, query, { identityOf: (c) => ids.get(c) })) kept.push(e);
      }
      // Opened events of the kept connections travel along, so the output still says who connected how.
      const conns = new Set(kept.map((e) => e.conn));
      const keptSeqs = new Set(kept.map((e) => e.seq));
      const withOpened = [];
      for await (const e of source.events()) {
        if (keptSeqs.has(e.seq) || (e.kind === 'opened' && conns.has(e.conn))) withOpened.push(e);
      }
      source = new MemorySource(
        'filtered',
        'capture',
        source.name,
        withOpened,
        [],
        source.connections().filter((c) => conns.has(c.id)),
      );
    }
    let n: number;
    let report: RedactionReportItem[] | undefined;
    const piped = toStdout
      ? await stdoutFile(io, format === 'har' ? 'out.har' : 'out.ocppcap.jsonl')
      : undefined;
    try {
      const r = await exportToFile(source, piped?.path ?? out, {
        format: format!,
        redact,
        tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      });
      n = r.events;
      report = r.redaction;
      await piped?.flush();
    } catch (e) {
      // flush removes the temporary file once copied; a failed export never gets that far.
      await piped?.dispose().catch(() => undefined);
      io.stderr.write(`ocpp-scope convert: cannot write ${out}: ${(e as Error).message}\n`);
      return EXIT.file;
    }
    io.stderr.write(
      `${n} event(s) written to ${toStdout ? 'stdout' : out}${redact ? ' (secrets redacted)' : ' (NOT redacted)'}.\n`,
    );
    if (report) io.stderr.write(formatRedactionReport(report));
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
