import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { StationSettings } from '../../../shared/api';
import { OCPP_VERSIONS, versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { ConnectionHub } from '../../engine/connection-hub';
import { Station } from '../../engine/station';
import { checkWsUrl } from '../cli-util';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { eventPrinter } from './event-printer';
import type { RunConventions } from './run-conventions';
import { RUN_OPTIONS, RUN_OPTIONS_HELP, runConventions, startRecording, zoneLine } from './run-conventions';

export const CONNECT_HELP = `Usage: ocpp-scope connect <url> [options]

Acts as a charging station: connects to <url> (the identity is its last path segment), sends each line read
from stdin as one frame exactly as written (for a CALL, waits for its answer before the next line), answers the
CSMS's calls automatically, and prints every event. Exits when stdin ends (or with --stay, on Ctrl+C).

Options:
  --protocol V         subprotocol to offer: ocpp1.6 / 1.6, 2.0.1, 2.1 (repeatable; default all three)
  --user NAME          HTTP Basic auth user (default: the identity, when --password is given)
  --password TEXT      HTTP Basic auth password (security profiles 1 and 2)
  --ca FILE            CA to verify the server with (wss://)
  --cert FILE --key FILE   client certificate and key (security profile 3)
  --insecure           do not verify the server's certificate (recorded as insecure)
  --header "N: V"      extra request header (repeatable)
  --ping SEC           WebSocket ping interval (default 0 = off)
  --timeout SEC        how long a CALL may wait for its answer (default 30)
  --stay               keep running after stdin ends, until Ctrl+C
  --json               print every event as one JSON line
${RUN_OPTIONS_HELP}
  -h, --help           this help

Exit codes: 0 done, 1 a call got a CALLERROR or no answer, 2 wrong command line, 3 could not connect.
`;

function parseVersion(text: string): OcppVersion | undefined {
  if ((OCPP_VERSIONS as readonly string[]).includes(text)) return text as OcppVersion;
  return versionOfSubprotocol(text);
}

export function connectSettings(
  argv: string[],
  cwd: Pick<CliIo, 'cwd'> = { cwd: process.cwd() },
): {
  settings: StationSettings;
  json: boolean;
  stay: boolean;
  help: boolean;
  run: RunConventions;
} {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      protocol: { type: 'string', multiple: true },
      user: { type: 'string' },
      password: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      insecure: { type: 'boolean' },
      header: { type: 'string', multiple: true },
      ping: { type: 'string' },
      timeout: { type: 'string' },
      stay: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...RUN_OPTIONS,
    },
  });
  const help = values.help === true;
  const url = positionals[0];
  if (!help && (url === undefined || positionals.length > 1)) throw new Error('expected exactly one URL.');
  if (!help && url !== undefined) {
    const checked = checkWsUrl(url);
    if ('error' in checked) throw new Error(checked.error);
  }
  const protocols = (values.protocol ?? []).map((p) => {
    const v = parseVersion(p);
    if (!v) throw new Error(`--protocol ${p}: expected ocpp1.6, ocpp2.0.1 or ocpp2.1.`);
    return v;
  });
  const num = (name: string, v: string | undefined, d: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got "${v}".`);
    return n;
  };
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new Error('--cert and --key go together.');
  const headers: [string, string][] = (values.header ?? []).map((h) => {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`--header ${h}: expected "Name: value".`);
    return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
  });
  let identity = '';
  try {
    identity = decodeURIComponent(new URL(url ?? '').pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    // the station reports a bad URL as its own failure
  }
  const settings: StationSettings = {
    url: url ?? '',
    protocols: protocols.length > 0 ? protocols : [...OCPP_VERSIONS],
    pingIntervalSec: num('ping', values.ping, 0),
    callTimeoutSec: num('timeout', values.timeout, 30),
  };
  if (values.password !== undefined)
    settings.basicAuth = { username: values.user ?? identity, password: values.password };
  if (values.ca || values.cert || values.insecure)
    settings.tls = {
      ...(values.ca ? { caFile: values.ca } : {}),
      ...(values.cert ? { certFile: values.cert, keyFile: values.key } : {}),
      ...(values.insecure ? { allowInsecure: true } : {}),
    };
  if (headers.length > 0) settings.headers = headers;
  const run = runConventions(values, cwd);
  return { settings, json: values.json === true, stay: values.stay === true, help, run };
}

export async function runConnect(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof connectSettings>;
  try {
    parsed = connectSettings(argv, io);
  } catch (error) {
    warn(io, `ocpp-scope connect: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (parsed.help) {
    say(io, CONNECT_HELP.trimEnd());
    return EXIT.ok;
  }
  const { settings, json, stay, run } = parsed;
  const hub = new ConnectionHub();
  const recording = run.record !== undefined ? startRecording(hub.stream, run.record) : undefined;
  const unsubscribe = hub.stream.subscribe(eventPrinter(io, json, run.timeZone));
  const stopped = untilAborted(io.signal);
  const finish = (code: number): number => {
    unsubscribe();
    recording?.stop();
    return code;
  };
  const conn = await new Station(hub).connect(settings);
  if (conn.state !== 'open') {
    const f = conn.failure;
    warn(io, `ocpp-scope connect: ${f ? `[${f.code}] ${f.message}` : 'could not connect'}`);
    return finish(EXIT.connection);
  }
  if (!json) warn(io, zoneLine(run.timeZone));
  if (recording && !json) warn(io, `Recording to ${recording.file}`);
  const closed = new Promise<void>((resolve) => conn.once('closed', () => resolve()));
  let problems = 0;
  const readLines = async (): Promise<void> => {
    const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
    try {
      for await (const line of rl) {
        if (line.trim() === '') continue;
        if (!conn.isOpen) break;
        const outcome = await conn.sendAndWait(line);
        if (outcome.timedOut || outcome.closed || (outcome.response && outcome.response.msg?.type !== 3))
          problems++;
      }
    } finally {
      rl.close();
    }
  };
  const input = readLines();
  await Promise.race([
    (async () => {
      await input;
      if (stay) await stopped;
    })(),
    stopped,
    closed,
  ]);
  await conn.close(1000, 'Station done');
  return finish(problems > 0 ? EXIT.problem : EXIT.ok);
}
