import { parseArgvOrThrow, type OptionTable } from '../argv';
import type { StationSettings } from '../../../shared/api';
import { identityOfUrl } from '../../../shared/capture/http-upgrade';
import { OCPP_VERSIONS, versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { checkWsUrl } from '../cli-util';
import { checkCertAndKey } from './endpoint-options';

/**
 * What every command that acts as a charging station (connect, send) accepts, with the same meaning: the
 * subprotocols to offer, HTTP Basic auth, TLS (CA, client certificate, insecure) and extra headers. They all go to
 * the engine's station handshake.
 */
export const STATION_CLIENT_OPTIONS = {
  protocol: { type: 'string', multiple: true },
  user: { type: 'string' },
  password: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The help lines of those options, for each command's usage text. */
export const STATION_CLIENT_HELP = `  --protocol V         subprotocol to offer: ocpp1.6 / 1.6, 2.0.1, 2.1 (repeatable; default all three)
  --user NAME          HTTP Basic auth user (default: the identity, when --password is given)
  --password TEXT      HTTP Basic auth password (security profiles 1 and 2)
  --ca FILE            CA to verify the server with (wss://)
  --cert FILE --key FILE   client certificate and key (security profile 3)
  --insecure           do not verify the server's certificate (recorded as insecure)
  --header "N: V"      extra request header (repeatable)`;

export interface StationClientValues {
  protocol?: string[];
  user?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  header?: string[];
}

export function parseVersionOption(text: string): OcppVersion | undefined {
  if ((OCPP_VERSIONS as readonly string[]).includes(text)) return text as OcppVersion;
  return versionOfSubprotocol(text);
}

/** Strict parsing of the station options plus a command's own, with positionals (the URL, a frame). */
export function parseStationArgs<const T extends OptionTable>(argv: string[], own: T) {
  const options = { ...STATION_CLIENT_OPTIONS, ...own };
  return parseArgvOrThrow(argv, options);
}

/** Station settings for `url` from the shared options; throws an Error whose message is the usage problem. */
export function stationSettingsFrom(url: string, values: StationClientValues): StationSettings {
  const checked = checkWsUrl(url);
  if ('error' in checked) throw new Error(checked.error);
  const protocols = (values.protocol ?? []).map((p) => {
    const v = parseVersionOption(p);
    if (!v) throw new Error(`unknown OCPP version "${p}"; use 1.6, 2.0.1 or 2.1.`);
    return v;
  });
  checkCertAndKey(values);
  const headers: [string, string][] = (values.header ?? []).map((h) => {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`--header ${h}: expected "Name: value".`);
    return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
  });
  const settings: StationSettings = {
    url,
    protocols: protocols.length > 0 ? protocols : [...OCPP_VERSIONS],
  };
  if (values.password !== undefined || values.user !== undefined)
    settings.basicAuth = { username: values.user ?? identityOfUrl(url), password: values.password ?? '' };
  if (values.ca || values.cert || values.insecure)
    settings.tls = {
      ...(values.ca ? { caFile: values.ca } : {}),
      ...(values.cert ? { certFile: values.cert, keyFile: values.key } : {}),
      ...(values.insecure ? { allowInsecure: true } : {}),
    };
  if (headers.length > 0) settings.headers = headers;
  return settings;
}
