import { checkPort, checkWsUrl, fail } from '../cli-util';
import type { ReplayStatus } from '../../../shared/api';
import type { ScopeEvent } from '../../../shared/capture/events';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import { parseVersionOption } from './station-options';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import {
  AutoAnswerBook,
  Endpoint,
  DEFAULT_ENDPOINT_SETTINGS,
  EventStream,
  connectionLink,
  fallbackFrom,
  holdEverythingBook,
  LinkError,
  openStationLink,
  ReplayHub,
  waitForCharger,
  ReplayRun,
  buildPlan,
} from '../../engine';
import type { ReplayLink } from '../../engine';
import { asksForHelp, optionsHelp, parseArgv, type OptionTable } from '../argv';
import { IGNORE_HELP, ignoreOption } from './ignore-option';
import type { IgnoreRules } from '../../../shared/capture/ignore-rules';
import type { CliIo } from '../cli-context';
import { EXIT } from '../exit-codes';
import { terminalProgress } from '../progress';
import { openForCli } from './inspect';
import { emitReport, REPORT_HELP } from './report-file';
import { basename } from 'node:path';

const REPLAY_OPTIONS = {
  to: { type: 'string', value: 'URL', help: 'station side: connect to this CSMS URL as the charger' },
  listen: {
    type: 'string',
    value: 'PORT',
    help: 'CSMS side: accept one charger on this port (0 = any free port), then replay',
  },
  host: { type: 'string', value: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
  connection: {
    type: 'string',
    value: 'ID',
    help: 'which recorded connection (default: the first with frames)',
  },
  protocol: { type: 'string', value: 'V', help: '1.6, 2.0.1 or 2.1 (default: the recorded one)' },
  speed: {
    type: 'string',
    value: 'X',
    help: '1 = recorded timing (default), 2 = twice as fast, 0 = as fast as the peer answers',
  },
  'no-shift': {
    type: 'boolean',
    help: "keep recorded timestamps (default: move each frame's times to when it is sent)",
  },
  timeout: {
    type: 'string',
    value: 'SEC',
    help: 'how long to wait for each answer and for the charger (default 30)',
  },
  ignore: { type: 'string', multiple: true, value: 'LIST', help: IGNORE_HELP },
  'no-default-ignore': {
    type: 'boolean',
    help: 'compare times, currentTime/timestamp and assigned ids (transactionId...) by value too',
  },
  user: { type: 'string', value: 'NAME', help: 'HTTP Basic auth user for --to' },
  password: { type: 'string', value: 'TEXT', help: 'HTTP Basic auth password for --to' },
  json: { type: 'boolean', help: 'print the final status (ReplayStatus) as JSON' },
  report: { type: 'string', value: 'FILE', help: REPORT_HELP },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

export const REPLAY_HELP = `Usage: ocpp-scope replay <capture> --to <ws-url>          play the charger's side against a CSMS
       ocpp-scope replay <capture> --listen <port>        play the CSMS's side for a charger that connects

Replays one recorded connection of a capture (or HAR or pcap) against a live peer: our side's frames go out in the
recorded order with fresh message ids, each CALL waits for its answer; the peer's CALLs are answered with the
recorded answers (or the auto-answer policy). Ids the live peer assigns (a transactionId...) are carried into later
frames. Prints a report of every exchange: matched, differed (with the fields), missing, unexpected, timed out.

Options:
${optionsHelp(REPLAY_OPTIONS)}

Exit codes: 0 everything matched, 1 something differed, was missing, unexpected or timed out, 2 wrong command line,
3 could not connect, 4 capture missing or unreadable.
`;

interface Opts {
  file?: string;
  to?: string;
  listen?: number;
  host: string;
  connection?: string;
  protocol?: OcppVersion;
  speed: number;
  shift: boolean;
  timeoutSec: number;
  user?: string;
  password?: string;
  json: boolean;
  ignore: string[];
  defaultIgnore: boolean;
  rules?: IgnoreRules;
  report?: string;
}

function parse(argv: string[]): Opts | string {
  const parsed = parseArgv(argv, REPLAY_OPTIONS);
  if (!parsed.ok) return parsed.error;
  const v = parsed.values;
  const o: Opts = {
    host: v.host ?? '127.0.0.1',
    speed: 1,
    shift: v['no-shift'] !== true,
    timeoutSec: 30,
    json: v.json === true,
    ignore: v.ignore ?? [],
    defaultIgnore: v['no-default-ignore'] !== true,
  };
  if (v.to !== undefined) {
    const url = checkWsUrl(v.to);
    if ('error' in url) return url.error;
    o.to = v.to;
  }
  if (v.listen !== undefined) {
    const port = checkPort(v.listen);
    if ('error' in port) return port.error.replace('--port', '--listen');
    o.listen = port.port;
  }
  if (v.protocol !== undefined) {
    const version = parseVersionOption(v.protocol);
    if (!version) return `--protocol must be one of ${OCPP_VERSIONS.join(', ')}`;
    o.protocol = version;
  }
  if (v.speed !== undefined) {
    o.speed = Number(v.speed);
    if (v.speed.trim() === '' || !Number.isFinite(o.speed) || o.speed < 0)
      return '--speed needs a number >= 0';
  }
  if (v.timeout !== undefined) {
    o.timeoutSec = Number(v.timeout);
    if (!Number.isFinite(o.timeoutSec) || o.timeoutSec <= 0) return '--timeout needs a number of seconds';
  }
  if (v.report === '') return '--report needs a file name (.html or .json)';
  for (const key of ['connection', 'user', 'password', 'report'] as const) {
    const value = v[key];
    if (value !== undefined) o[key] = value;
  }
  if (parsed.positionals.length > 1) return 'give exactly one capture file';
  o.file = parsed.positionals[0];
  if (!o.file) return 'give a capture file';
  if ((o.to === undefined) === (o.listen === undefined)) return 'give either --to <url> or --listen <port>';
  const rules = ignoreOption(o.ignore, o.defaultIgnore);
  if (typeof rules === 'string') return rules;
  o.rules = rules;
  return o;
}

export async function runReplay(argv: string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv, REPLAY_OPTIONS)) {
    io.stdout.write(REPLAY_HELP);
    return EXIT.ok;
  }
  const o = parse(argv);
  if (typeof o === 'string') {
    io.stderr.write(`ocpp-scope replay: ${o}\n${REPLAY_HELP}`);
    return EXIT.usage;
  }
  const opened = await openForCli(o.file!, io, 'replay');
  if (typeof opened === 'number') return opened;
  const events: ScopeEvent[] = [];
  for await (const e of opened.events())
    if (o.connection === undefined || e.conn === o.connection) events.push(e);
  await opened.close();
  const side = o.to !== undefined ? 'station' : 'csms';
  const plan = buildPlan(events, side, o.connection);
  if ('error' in plan) {
    fail(io, 'replay', plan.error);
    return EXIT.file;
  }
  const version = o.protocol ?? plan.version;
  const stream = new EventStream();
  let link: ReplayLink;
  let targetName = '';
  let endpoint: Endpoint | undefined;
  try {
    if (o.to !== undefined) {
      ({ link } = await openStationLink(stream, {
        url: o.to,
        protocols: version ? [version] : [...OCPP_VERSIONS],
        ...(o.user !== undefined ? { basicAuth: { username: o.user, password: o.password ?? '' } } : {}),
        callTimeoutSec: o.timeoutSec,
      }));
    } else {
      const hub = new ReplayHub(stream, holdEverythingBook());
      endpoint = new Endpoint(hub);
      const st = await endpoint.start({
        ...DEFAULT_ENDPOINT_SETTINGS,
        host: o.host,
        port: o.listen!,
        protocols: version ? [version] : [...OCPP_VERSIONS],
        pingIntervalSec: 0,
        callTimeoutSec: o.timeoutSec,
      });
      if (!st.running)
        throw new LinkError('listen-failed', st.error ?? `Could not listen on ${o.host}:${o.listen}.`);
      io.stderr.write(
        `Waiting for a charger on ws://${o.host.includes(':') ? `[${o.host}]` : o.host}:${st.port}/<identity> ...\n`,
      );
      const conn = await waitForCharger(stream, hub, o.timeoutSec * 1000, io.signal);
      io.stderr.write(`Charger ${conn.identity} connected (${conn.protocol ?? 'no subprotocol'}).\n`);
      link = connectionLink(conn, stream, true);
      targetName = conn.identity ? `${conn.identity} (${conn.id})` : conn.id;
    }
  } catch (e) {
    await endpoint?.stop();
    fail(io, 'replay', (e as Error).message);
    return io.signal.aborted ? EXIT.interrupted : EXIT.connection;
  }
  const progress = terminalProgress(io.stderr, 'Replaying');
  const run = new ReplayRun(plan, link, {
    speed: o.speed,
    shiftTimestamps: o.shift,
    timeoutMs: o.timeoutSec * 1000,
    ignore: o.rules!,
    fallbackAnswer: fallbackFrom(new AutoAnswerBook(), version ?? link.version),
    onStatus: (s) => progress.update(`${s.position} of ${s.total} exchanges`),
  });
  const onAbort = (): void => run.stop();
  io.signal.addEventListener('abort', onAbort, { once: true });
  const startedAt = Date.now();
  let status: ReplayStatus;
  try {
    status = await run.start();
  } finally {
    progress.done();
    io.signal.removeEventListener('abort', onAbort);
    await link.close().catch(() => {});
    await endpoint?.stop();
  }
  status = {
    ...status,
    label: {
      kind: 'replay',
      capture: basename(o.file!),
      connection: plan.identity ? `${plan.identity} (${plan.conn})` : plan.conn,
      target: o.to ?? (targetName || 'a charger'),
      side,
      startedAt,
      finishedAt: Date.now(),
      ignore: [...o.rules!.source],
      speed: o.speed,
      shiftTimestamps: o.shift,
    },
  };
  return emitReport(status, o, io, 'replay');
}
