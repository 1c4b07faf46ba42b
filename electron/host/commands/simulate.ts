import { parseArgvOrThrow } from '../argv';
import type { StationSettings } from '../../../shared/api';
import { versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import {
  ConnectionHub,
  Fleet,
  HttpFileTransferClient,
  keptCaTrust,
  simulatorSettingsProblems,
  withCrlSerials,
} from '../../engine';
import { badPairSentence, parseConfigPair, serialProblem } from '../../../shared/simulator-config';
import type { FleetOptions } from '../../engine';
import { checkWsUrl, cliDataDir } from '../cli-util';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { EXIT } from '../exit-codes';
import { eventPrinter } from './event-printer';

export const SIMULATE_HELP = `Usage: ocpp-scope simulate --to URL --protocol V --id ID [options]

Runs simulated charging stations that behave like real ones: boot (retrying while Pending or Rejected), heartbeat
at the interval the CSMS gives, report their connectors, answer configuration / device-model requests, start and
stop transactions (remote or generated) with physically coherent meter values, obey charging profiles, reset,
reserve, unlock, upload diagnostics and update firmware. Each connects to <URL>/<identity> and prints every event
as \`listen\` does, until --duration ends or Ctrl+C.

Options:
  --to URL               the CSMS base URL (ws:// or wss://)
  --protocol V           ocpp1.6, ocpp2.0.1 or ocpp2.1
  --id ID                the identity; with --count N the identities are ID-1 ... ID-N
  --count N              how many stations (default 1)
  --connectors N         connectors (1.6) or EVSEs (2.x) per station (default 2)
  --duration S           stop after S seconds (default: run until Ctrl+C)
  --auto-transactions    plug in, charge and leave at random on every connector
  --vendor NAME --model NAME --serial TEXT --firmware TEXT   what BootNotification says
  --set KEY=VALUE        initial configuration, repeatable: a 1.6 key, or a 2.x Component.Variable or
                         Component.Variable[Instance] (e.g. MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]=5)
  --revoked SERIAL       a certificate serial number (hex) the stations know to be revoked, one a flag, repeatable:
                         firmware signers, InstallCertificate and CertificateSigned of one are refused
  --crl FILE             a certificate revocation list (PEM or DER) whose serials count as --revoked too (firmware
                         signers, InstallCertificate, CertificateSigned); its signature (against --ca or a CA
                         certificate in its PEM file) and dates are checked, and problems noted on stderr
  --password PW          HTTP Basic auth password (the user is the identity)
  --ca FILE              CA to verify the server with (wss://)
  --cert FILE --key FILE client certificate and key (security profile 3)
  --insecure             do not verify the server's certificate
  --concurrency N        handshakes at once while starting a fleet (default 50)
  --data-dir DIR         the tool's data folder: its kept local CA (which issues the file server's HTTPS/FTPS
                         certificates) is trusted for file transfers, with the system's CAs and --ca
                         (default ~/.ocpp-scope; OCPP_SCOPE_DATA_DIR)
  --json                 print every event as one JSON line
  -h, --help             this help

Exit codes: 0 ran and stopped cleanly, 2 wrong command line, 3 could not connect (no station's first attempt
succeeded; the reason is printed).
`;

function positiveInt(name: string, v: string | undefined, d: number, max: number): number {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${name} needs a whole number from 1 to ${max}, got "${v}".`);
  return n;
}

/**
 * `--set KEY=VALUE` options as the simulator's initial configuration. A 1.6 station takes any key (user-defined keys
 * are allowed); a 2.x key must name a variable of the device model, so a typo is refused, not silently dropped.
 */
function configOf(pairs: string[], version: OcppVersion, connectors: number): Record<string, string> {
  const config: Record<string, string> = {};
  for (const text of pairs) {
    const pair = parseConfigPair(text);
    if (!pair) throw new Error(`--set ${badPairSentence(text)}`);
    config[pair.key] = pair.value;
  }
  const problem = simulatorSettingsProblems([version], { connectors, config }).config;
  if (problem) throw new Error(`--set ${problem}`);
  return config;
}

function serialOf(v: string): string {
  const problem = serialProblem(v);
  if (problem) throw new Error(`--revoked ${problem}`);
  return v;
}

export interface SimulateArgs {
  fleet: FleetOptions;
  /** Where the kept local CA is looked for (undefined: the default data folder). */
  dataDir: string | undefined;
  durationSec: number | undefined;
  json: boolean;
  help: boolean;
}

export function simulateArgs(argv: string[]): SimulateArgs {
  const { values, positionals } = parseArgvOrThrow(
    argv,
    {
      to: { type: 'string' },
      protocol: { type: 'string' },
      id: { type: 'string' },
      count: { type: 'string' },
      connectors: { type: 'string' },
      duration: { type: 'string' },
      'auto-transactions': { type: 'boolean' },
      vendor: { type: 'string' },
      model: { type: 'string' },
      serial: { type: 'string' },
      firmware: { type: 'string' },
      set: { type: 'string', multiple: true },
      revoked: { type: 'string', multiple: true },
      crl: { type: 'string' },
      password: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      insecure: { type: 'boolean' },
      concurrency: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: false },
  );
  void positionals;
  const help = values.help === true;
  const empty: FleetOptions = { to: '', protocol: '1.6', id: '', count: 1, simulator: {} };
  if (help) return { fleet: empty, dataDir: undefined, durationSec: undefined, json: false, help };
  if (!values.to) throw new Error('--to URL is required.');
  const checked = checkWsUrl(values.to);
  if ('error' in checked) throw new Error(checked.error);
  if (!values.protocol) throw new Error('--protocol is required (ocpp1.6, ocpp2.0.1 or ocpp2.1).');
  const protocol: OcppVersion | undefined = (OCPP_VERSIONS as readonly string[]).includes(values.protocol)
    ? (values.protocol as OcppVersion)
    : versionOfSubprotocol(values.protocol);
  if (!protocol) throw new Error(`--protocol ${values.protocol}: expected ocpp1.6, ocpp2.0.1 or ocpp2.1.`);
  if (!values.id) throw new Error('--id is required.');
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new Error('--cert and --key go together.');
  let durationSec: number | undefined;
  if (values.duration !== undefined) {
    durationSec = Number(values.duration);
    if (!Number.isFinite(durationSec) || durationSec <= 0)
      throw new Error(`--duration needs a number of seconds, got "${values.duration}".`);
  }
  const tls: StationSettings['tls'] = {
    ...(values.ca ? { caFile: values.ca } : {}),
    ...(values.cert ? { certFile: values.cert, keyFile: values.key } : {}),
    ...(values.insecure ? { allowInsecure: true } : {}),
  };
  const connectors = positiveInt('connectors', values.connectors, 2, 32);
  const fleet: FleetOptions = {
    to: values.to,
    protocol,
    id: values.id,
    count: positiveInt('count', values.count, 1, 100_000),
    concurrency: positiveInt('concurrency', values.concurrency, 50, 10_000),
    simulator: {
      connectors,
      ...(values.vendor ? { vendor: values.vendor } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values.serial ? { serialNumber: values.serial } : {}),
      ...(values.firmware ? { firmwareVersion: values.firmware } : {}),
      ...(values.set ? { config: configOf(values.set, protocol, connectors) } : {}),
      ...(values.revoked ? { revokedCertificates: values.revoked.map(serialOf) } : {}),
      ...(values.crl ? { crlFile: values.crl } : {}),
    },
  };
  if (values.password !== undefined) fleet.password = values.password;
  if (Object.keys(tls).length > 0) fleet.tls = tls;
  if (values['auto-transactions']) fleet.autoTransactions = {};
  return { fleet, dataDir: values['data-dir'], durationSec, json: values.json === true, help };
}

export async function runSimulate(argv: string[], io: CliIo): Promise<number> {
  let args: SimulateArgs;
  try {
    args = simulateArgs(argv);
  } catch (error) {
    warn(io, `ocpp-scope simulate: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (args.help) {
    say(io, SIMULATE_HELP.trimEnd());
    return EXIT.ok;
  }
  // The CRL is read before anything connects: a file that is no CRL is a wrong command line.
  const simulator = await withCrlSerials(
    args.fleet.simulator,
    (note) => warn(io, `ocpp-scope simulate: --crl note: ${note}`),
    args.fleet.tls?.caFile ? [args.fleet.tls.caFile] : [],
  );
  if ('error' in simulator) {
    warn(io, `ocpp-scope simulate: --crl ${simulator.error}`);
    return EXIT.usage;
  }
  args.fleet.simulator = simulator;
  const hub = new ConnectionHub();
  const unsubscribe = hub.stream.subscribe(eventPrinter(io, args.json));
  const trust = keptCaTrust(
    cliDataDir(io, args.dataDir),
    args.fleet.tls?.caFile ? [args.fleet.tls.caFile] : [],
  );
  const fleet = new Fleet(hub, args.fleet, {
    simulation: { files: new HttpFileTransferClient({ trust }) },
  });
  const stopped = untilAborted(io.signal);
  try {
    const started = await Promise.race([fleet.start(), stopped.then(() => undefined)]);
    if (!started) return EXIT.ok;
    if (started.open === 0) {
      const f = started.failed[0]?.failure;
      warn(io, `ocpp-scope simulate: ${f ? `[${f.code}] ${f.message}` : 'could not connect'}`);
      return EXIT.connection;
    }
    if (started.failed.length > 0)
      warn(
        io,
        `ocpp-scope simulate: ${started.failed.length} of ${args.fleet.count} stations could not connect at first; they keep trying.`,
      );
    const timer =
      args.durationSec !== undefined
        ? new Promise<void>((resolve) => setTimeout(resolve, args.durationSec! * 1000).unref())
        : new Promise<void>(() => undefined);
    await Promise.race([timer, stopped]);
    return EXIT.ok;
  } finally {
    await fleet.stop();
    unsubscribe();
  }
}
