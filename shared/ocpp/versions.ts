/** The OCPP-J versions this tool speaks. 1.6 includes the 1.6 security extension. */
export type OcppVersion = '1.6' | '2.0.1' | '2.1';

export const OCPP_VERSIONS: readonly OcppVersion[] = ['1.6', '2.0.1', '2.1'];

/** The WebSocket subprotocol name of each version, as offered in `Sec-WebSocket-Protocol`. */
export const SUBPROTOCOL_OF: Readonly<Record<OcppVersion, string>> = {
  '1.6': 'ocpp1.6',
  '2.0.1': 'ocpp2.0.1',
  '2.1': 'ocpp2.1',
};

/** Older names a charger may offer; recognised so a finding can name them, never negotiated. */
export const LEGACY_SUBPROTOCOLS: readonly string[] = ['ocpp1.2', 'ocpp1.5', 'ocpp2.0'];

export function versionOfSubprotocol(protocol: string | undefined | null): OcppVersion | undefined {
  if (!protocol) return undefined;
  const p = protocol.trim().toLowerCase();
  for (const v of OCPP_VERSIONS) if (SUBPROTOCOL_OF[v] === p) return v;
  return undefined;
}

export function isOcppVersion(value: unknown): value is OcppVersion {
  return value === '1.6' || value === '2.0.1' || value === '2.1';
}
