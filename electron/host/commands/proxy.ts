import type { EndpointSettings, UpstreamSettings } from '../../../shared/api';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../engine';
import type { CliIo } from '../cli-context';
import { runEndpointCommand } from './endpoint-command';
import type { EndpointCommandOptions } from './endpoint-options';
import {
  checkCertAndKey,
  commonEndpointValues,
  parseEndpointArgs,
  numberOption,
  portOption,
} from './endpoint-options';
import { RUN_OPTIONS_HELP } from './run-conventions';

export const PROXY_HELP = `Usage: ocpp-scope proxy --to ws://CSMS/PATH [options]

Stands in the middle: chargers connect to ws://HOST:PORT/<any path>/<identity>, and each is connected through to
<--to URL>/<identity>, offering exactly the subprotocols the charger offered (and its Basic auth, unless
--upstream-user is given). Every frame is forwarded byte for byte and printed once, with who sent it and, for
answers, the round-trip time. A refusal by the CSMS reaches the charger with the same HTTP status; when either
side closes, the other is closed with the same code. The first line printed contains the URL for the chargers.

Options:
  --to URL               the CSMS base URL, ws:// or wss:// (required)
  --host ADDR            address to listen on (default 0.0.0.0: all interfaces, so chargers on the LAN reach it)
  --port N               port (default 9000; 0 picks a free one)
  --upstream-user NAME   --upstream-password PW   Basic auth sent to the CSMS instead of the charger's own
  --ca FILE              CA to verify a wss:// CSMS with
  --cert FILE --key FILE client certificate and key for the CSMS (security profile 3)
  --insecure             do not verify the CSMS certificate (recorded as a finding)
  --call-timeout SEC     after how long an unanswered CALL is flagged (default 30)
  --max-frame-bytes N    largest frame accepted on either side (default 1048576)
  --json                 print every event as one JSON line
${RUN_OPTIONS_HELP}
  -h, --help             this help
`;

export function proxySettings(argv: string[], io?: Pick<CliIo, 'cwd' | 'env'>): EndpointCommandOptions {
  const values = parseEndpointArgs(argv, {
    to: { type: 'string' },
    'upstream-user': { type: 'string' },
    'upstream-password': { type: 'string' },
    insecure: { type: 'boolean' },
  });
  const d = DEFAULT_ENDPOINT_SETTINGS;
  const base = { settings: d, json: values.json === true, help: values.help === true };
  if (base.help) return base;
  const to = values.to;
  if (to === undefined) throw new Error('--to URL is required: the CSMS to forward the chargers to.');
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new Error(`--to ${to}: not a URL; it should look like ws://csms.example:9000/ocpp.`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new Error(`--to ${to}: the URL must start with ws:// or wss://.`);
  checkCertAndKey(values);
  if ((values['upstream-user'] === undefined) !== (values['upstream-password'] === undefined))
    throw new Error('--upstream-user and --upstream-password go together.');
  const upstream: UpstreamSettings = { url: to };
  if (values['upstream-user'] !== undefined && values['upstream-password'] !== undefined)
    upstream.basicAuth = { username: values['upstream-user'], password: values['upstream-password'] };
  const tls: NonNullable<UpstreamSettings['tls']> = {};
  if (values.ca) tls.caFile = values.ca;
  if (values.cert) tls.certFile = values.cert;
  if (values.key) tls.keyFile = values.key;
  if (values.insecure) tls.allowInsecure = true;
  if (Object.keys(tls).length > 0) upstream.tls = tls;
  const maxFrameBytes = numberOption('max-frame-bytes', values['max-frame-bytes'], d.limits.maxFrameBytes);
  const settings: EndpointSettings = {
    ...d,
    host: values.host ?? d.host,
    port: portOption(values.port, d.port),
    // Pings are the peers' own business: a proxy forwards, it does not probe.
    pingIntervalSec: 0,
    callTimeoutSec: numberOption('call-timeout', values['call-timeout'], d.callTimeoutSec),
    limits: { ...d.limits, maxFrameBytes, maxFramesPerSec: 0 },
    upstream,
  };
  return { ...base, settings, ...commonEndpointValues(values, io) };
}

export async function runProxy(argv: string[], io: CliIo): Promise<number> {
  return runEndpointCommand(argv, io, 'proxy', PROXY_HELP, proxySettings, (status, settings, json) => {
    const upstream = settings.upstream!.url;
    const first = status.urls[0] ?? '';
    const target = `${upstream.replace(/\/+$/, '')}/<identity>`;
    if (json)
      return [
        JSON.stringify({ proxying: { urls: status.urls, host: status.host, port: status.port, upstream } }),
      ];
    return [
      `Proxying on ${first}  (chargers connect to ${first}<identity>, forwarded to ${target})`,
      ...status.urls.slice(1).map((url) => `           also ${url}`),
    ];
  });
}
