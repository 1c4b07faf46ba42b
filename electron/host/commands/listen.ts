import type { EndpointSettings, SecurityProfile } from '../../../shared/api';
import { OCPP_VERSIONS, versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../engine';
import type { CliIo } from '../cli-context';
import type { CertificateBundle } from '../../engine';
import { warn } from '../cli-context';
import { parseArgv } from '../argv';
import { EXIT } from '../exit-codes';
import { runEndpointCommand } from './endpoint-command';
import type { Beside } from './endpoint-command';
import { filesSettings, startFiles } from './files';
import type { EndpointCommandOptions } from './endpoint-options';
import {
  checkCertAndKey,
  COMMON_ENDPOINT_HELP,
  COMMON_ENDPOINT_OPTIONS,
  commonEndpointValues,
  parseEndpointArgs,
  numberOption,
  portOption,
} from './endpoint-options';

export const LISTEN_HELP = `Usage: ocpp-scope listen [options]

Acts as a CSMS: chargers connect to ws://HOST:PORT/<any path>/<identity>. Every call is answered automatically
(a valid response with live values); every handshake, frame, ping and close is printed. Ctrl+C stops it.
The first line printed contains the URL to configure in chargers.

Options:
  --host ADDR            address to listen on (default 0.0.0.0: all interfaces, so chargers on the LAN reach it)
  --port N               port (default 9000; 0 picks a free one)
  --protocol V           subprotocol to accept, in order of preference: 1.6, 2.0.1, 2.1 (repeatable; default all)
  --refuse-unknown       refuse chargers offering no supported subprotocol (default: accept them for diagnosis)
  --profile N            security profile 0-3 (1: Basic auth, 2: TLS + Basic auth, 3: TLS client certificates)
  --password ID=PW       expected password for an identity (repeatable); without any, every password is accepted
  --cert FILE --key FILE server certificate and key for profiles 2/3 (default: a generated local CA)
  --ca FILE              CA that client certificates must chain to (profile 3)
  --ping SEC             WebSocket ping interval (default 30; 0 = off)
  --call-timeout SEC     how long a CALL may wait for its answer (default 30)
  --max-frame-bytes N    --max-connections N   limits against hostile peers
  --max-frames-per-sec N frames per second per charger (default 0 = off: the engine shares its time fairly)
  --files DIR            also run the file server (HTTP, HTTPS, FTP, FTPS on ports 8080, 8443, 2121, 2990, or
                         free ports with --port 0) on DIR, with the endpoint's CA for TLS (see files --help)
  --json                 print every event as one JSON line
${COMMON_ENDPOINT_HELP}
  -h, --help             this help
`;

function parseVersion(text: string): OcppVersion | undefined {
  if ((OCPP_VERSIONS as readonly string[]).includes(text)) return text as OcppVersion;
  return versionOfSubprotocol(text);
}

/** listen's own options beside the common endpoint ones. */
const LISTEN_OPTIONS = {
  protocol: { type: 'string', multiple: true },
  'refuse-unknown': { type: 'boolean' },
  profile: { type: 'string' },
  password: { type: 'string', multiple: true },
  ping: { type: 'string' },
  'max-frames-per-sec': { type: 'string' },
  'max-connections': { type: 'string' },
  files: { type: 'string', value: 'DIR' },
} as const;

export function listenSettings(argv: string[], io?: Pick<CliIo, 'cwd' | 'env'>): EndpointCommandOptions {
  const values = parseEndpointArgs(argv, LISTEN_OPTIONS);
  const d = DEFAULT_ENDPOINT_SETTINGS;
  const protocols = (values.protocol ?? []).map((p) => {
    const v = parseVersion(p);
    if (!v) throw new Error(`--protocol ${p}: expected 1.6, 2.0.1 or 2.1.`);
    return v;
  });
  const profile = numberOption('profile', values.profile, 0);
  if (![0, 1, 2, 3].includes(profile)) throw new Error('--profile must be 0, 1, 2 or 3.');
  const passwords: Record<string, string> = {};
  for (const p of values.password ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--password ${p}: expected IDENTITY=PASSWORD.`);
    passwords[p.slice(0, eq)] = p.slice(eq + 1);
  }
  checkCertAndKey(values);
  const settings: EndpointSettings = {
    ...d,
    host: values.host ?? d.host,
    port: portOption(values.port, d.port),
    protocols: protocols.length > 0 ? protocols : [...d.protocols],
    unknownProtocol: values['refuse-unknown'] ? 'refuse' : 'accept',
    securityProfile: profile as SecurityProfile,
    passwords,
    acceptAnyPassword: Object.keys(passwords).length === 0,
    pingIntervalSec: numberOption('ping', values.ping, d.pingIntervalSec, { max: 86_400 }),
    callTimeoutSec: numberOption('call-timeout', values['call-timeout'], d.callTimeoutSec),
    limits: {
      maxFrameBytes: numberOption('max-frame-bytes', values['max-frame-bytes'], d.limits.maxFrameBytes),
      maxFramesPerSec: numberOption(
        'max-frames-per-sec',
        values['max-frames-per-sec'],
        d.limits.maxFramesPerSec,
      ),
      maxConnections: numberOption('max-connections', values['max-connections'], d.limits.maxConnections),
    },
  };
  if (profile >= 2)
    settings.tls = values.cert
      ? { certFile: values.cert, keyFile: values.key, ...(values.ca ? { caFile: values.ca } : {}) }
      : { generateCertificate: true, ...(values.ca ? { caFile: values.ca } : {}) };
  return {
    settings,
    json: values.json === true,
    help: values.help === true,
    ...commonEndpointValues(values, io),
  };
}

export async function runListen(argv: string[], io: CliIo): Promise<number> {
  // Read once here for the file server beside the endpoint; a wrong command line is reported by the endpoint's
  // own parse of the same table below.
  const pre = parseArgv(argv, { ...COMMON_ENDPOINT_OPTIONS, ...LISTEN_OPTIONS });
  const dir = pre.ok ? pre.values.files : undefined;
  if (dir === '') {
    warn(io, 'ocpp-scope listen: --files needs a folder (see --help)');
    return EXIT.usage;
  }
  const json = pre.ok && pre.values.json === true;
  const anyPort = pre.ok && pre.values.port === '0';
  const beside: Beside | undefined =
    dir === undefined
      ? undefined
      : async (hub, endpoint) => {
          // runEndpointUntilStopped loads the kept local CA before calling this, so both servers share it.
          const ca = async (): Promise<CertificateBundle> => {
            if (!endpoint.localCa) throw new Error('the local CA was not loaded');
            return endpoint.localCa;
          };
          const started = await startFiles(
            hub.stream,
            filesSettings([
              '--dir',
              dir,
              '--host',
              endpoint.status().host ?? '0.0.0.0',
              // --port 0 (tests, several tools side by side) picks free ports for the file server too.
              ...(anyPort
                ? ['--http-port', '0', '--https-port', '0', '--ftp-port', '0', '--ftps-port', '0']
                : []),
            ]).settings,
            ca,
            json,
          );
          if ('error' in started) return { error: `the file server could not start: ${started.error}` };
          return {
            lines: started.lines,
            stop: async () => {
              await started.server.stop(false);
              started.server.dispose();
            },
          };
        };
  return runEndpointCommand(
    argv,
    io,
    'listen',
    LISTEN_HELP,
    listenSettings,
    (status, _settings, json) => {
      const first = status.urls[0] ?? '';
      if (json)
        return [JSON.stringify({ listening: { urls: status.urls, host: status.host, port: status.port } })];
      return [
        `Listening on ${first}  (chargers connect to ${first}<identity>)`,
        ...status.urls.slice(1).map((url) => `           also ${url}`),
        ...(status.caCertificatePem
          ? [
              `Install this CA in the chargers:\n${status.caCertificatePem.trimEnd()}`,
              `CA SHA-256 fingerprint: ${status.caFingerprint ?? '?'}`,
            ]
          : []),
      ];
    },
    beside,
  );
}
