import type { OcppVersion } from '../../../shared/ocpp/versions';

/** Why Connect is disabled (`problem`), or what will probably go wrong although it may be tried (`warning`). */
export interface StationUrlCheck {
  problem?: string;
  warning?: string;
  identity?: string;
}

export function checkStationUrl(text: string, protocols: readonly OcppVersion[]): StationUrlCheck {
  const url = text.trim();
  if (url === '') return { problem: 'Enter the CSMS URL, e.g. wss://csms.example.com/ocpp/CP001.' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https')
    return {
      problem: `${scheme}:// is not a WebSocket URL: OCPP-J uses ${scheme === 'https' ? 'wss' : 'ws'}://${url.slice(scheme.length + 3)}.`,
    };
  if (scheme !== 'ws' && scheme !== 'wss')
    return {
      problem: 'The URL must start with ws:// or wss:// (wss:// for TLS, security profiles 2 and 3).',
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'This is not a valid URL: check the host, the port and the characters in the path.' };
  }
  if (parsed.hostname === '') return { problem: 'The URL has no host.' };
  if (protocols.length === 0) return { problem: 'Pick at least one OCPP version to offer.' };
  const last = parsed.pathname.split('/').pop() ?? '';
  let identity: string;
  try {
    identity = decodeURIComponent(last);
  } catch {
    identity = last;
  }
  if (identity === '')
    return {
      warning:
        'The URL ends without a charge point identity: the CSMS will see an empty one and most refuse it. Add it at the end, e.g. …/CP001.',
    };
  return { identity };
}
