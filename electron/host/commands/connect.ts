import { createInterface } from 'node:readline';
import type { StationSettings } from '../../../shared/api';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import { ConnectionHub, Station } from '../../engine';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { numberOption } from './endpoint-options';
import { eventPrinter } from './event-printer';
import type { RunConventions } from './run-conventions';
import { RUN_OPTIONS, RUN_OPTIONS_HELP, runConventions, startRecording, zoneLine } from './run-conventions';
import { parseStationArgs, STATION_CLIENT_HELP, stationSettingsFrom } from './station-options';

export const CONNECT_HELP = `Usage: ocpp-scope connect <url> [options]

Acts as a charging station: connects to <url> (the identity is its last path segment), sends each line read
from stdin as one frame exactly as written (for a CALL, waits for its answer before the next line), answers the
CSMS's calls automatically, and prints every event. Exits when stdin ends (or with --stay, on Ctrl+C).

Options:
${STATION_CLIENT_HELP}
  --ping SEC           WebSocket ping interval (default 0 = off)
  --timeout SEC        how long a CALL may wait for its answer (default 30)
  --stay               keep running after stdin ends, until Ctrl+C
  --json               print every event as one JSON line
${RUN_OPTIONS_HELP}
  -h, --help           this help

Exit codes: 0 done, 1 a call got a CALLERROR or no answer, 2 wrong command line, 3 could not connect.
`;

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
  const { values, positionals } = parseStationArgs(argv, {
    ping: { type: 'string' },
    timeout: { type: 'string' },
    stay: { type: 'boolean' },
    ...RUN_OPTIONS,
  });
  const help = values.help === true;
  const url = positionals[0];
  const run = runConventions(values, cwd);
  const flags = { json: values.json === true, stay: values.stay === true, help, run };
  if (help) return { settings: { url: url ?? '', protocols: [...OCPP_VERSIONS] }, ...flags };
  if (url === undefined || positionals.length > 1) throw new Error('expected exactly one URL.');
  const settings = stationSettingsFrom(url, values);
  settings.pingIntervalSec = numberOption('ping', values.ping, 0, { max: 86_400 });
  settings.callTimeoutSec = numberOption('timeout', values.timeout, 30);
  return { settings, ...flags };
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
