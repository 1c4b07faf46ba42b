import type { EndpointSettings } from '../../../shared/api';
import type { BasicAuthInfo, Finding, HttpHead, TlsFacts } from '../../../shared/capture/events';
import { decodeBasicAuth, headerValue, subprotocolHeaderProblem } from '../../../shared/capture/http-upgrade';
import { LEGACY_SUBPROTOCOLS, SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';

/**
 * The endpoint's decision on one WebSocket upgrade, as a pure function of what the charger sent and the settings:
 * no socket, no clock, no state. The endpoint writes what it returns; tests read every branch without a network.
 */

/** An HTTP refusal written on the raw upgrade socket. */
export interface Rejection {
  status: number;
  /** The reason phrase, when not the standard one (a proxy repeats its upstream's). */
  statusText?: string;
  reason: string;
  headers?: [string, string][];
  body: string;
}

export interface AdmissionInput {
  method: string | undefined;
  request: HttpHead;
  /** Charge point identity from the URL path ('' when the last segment is empty). */
  identity: string;
  offeredProtocols: readonly string[];
  /** TLS facts of the socket, when it is TLS. */
  tls: TlsFacts | undefined;
  /** WebSocket connections (plain and proxied) the endpoint serves now. */
  serving: number;
  settings: EndpointSettings;
}

export type AdmissionVerdict =
  | { kind: 'refuse'; rejection: Rejection }
  /** Proxy mode: the upstream decides the subprotocol (and may refuse). */
  | { kind: 'proxy' }
  | {
      kind: 'accept';
      /** The version frames are read as (undefined only when the endpoint speaks no version at all). */
      version: OcppVersion | undefined;
      /** The subprotocol echoed to the charger, exactly as it offered it. */
      chosenProtocol: string | undefined;
    };

export type Admission = AdmissionVerdict & { findings: Finding[]; basicAuth?: BasicAuthInfo };

const CHALLENGE: [string, string][] = [['WWW-Authenticate', 'Basic realm="OCPP", charset="UTF-8"']];

export function admitUpgrade(input: AdmissionInput): Admission {
  const findings: Finding[] = [];
  const verdict = decide(input, findings);
  const auth = decodeBasicAuth(headerValue(input.request, 'authorization'));
  return auth ? { ...verdict, findings, basicAuth: auth } : { ...verdict, findings };
}

function decide(input: AdmissionInput, findings: Finding[]): AdmissionVerdict {
  const { request, identity, settings } = input;
  const refuse = (rejection: Rejection): AdmissionVerdict => ({ kind: 'refuse', rejection });
  if (identity === '')
    findings.push({
      code: 'no-identity',
      severity: 'warning',
      message: 'The URL path has no charge point identity (its last segment is empty).',
    });

  // Protocol-level checks ws would otherwise answer with a bare 400: we record why.
  const key = headerValue(request, 'sec-websocket-key');
  const wsVersion = headerValue(request, 'sec-websocket-version');
  if ((headerValue(request, 'upgrade') ?? '').toLowerCase() !== 'websocket' || input.method !== 'GET') {
    findings.push({
      code: 'not-websocket-upgrade',
      severity: 'error',
      message: 'The request asks for an upgrade to something other than WebSocket.',
    });
    return refuse({
      status: 400,
      reason: 'not-websocket',
      body: 'Only WebSocket upgrades (GET, Upgrade: websocket) are served here.\n',
    });
  }
  if (!key || !/^[+/0-9A-Za-z]{22}==$/.test(key.trim())) {
    findings.push({
      code: 'bad-websocket-key',
      severity: 'error',
      message: 'The Sec-WebSocket-Key header is missing or not 16 bytes in base64.',
    });
    return refuse({ status: 400, reason: 'bad-key', body: 'Missing or invalid Sec-WebSocket-Key.\n' });
  }
  if (wsVersion?.trim() !== '13') {
    findings.push({
      code: 'bad-websocket-version',
      severity: 'error',
      message: `Sec-WebSocket-Version is ${wsVersion ?? 'missing'}; WebSocket needs 13.`,
    });
    return refuse({
      status: 400,
      reason: 'bad-version',
      headers: [['Sec-WebSocket-Version', '13']],
      body: 'Unsupported Sec-WebSocket-Version.\n',
    });
  }

  const protocolProblem = subprotocolHeaderProblem(request);
  if (protocolProblem) {
    findings.push({
      code: 'bad-subprotocol-header',
      severity: 'error',
      message: `The Sec-WebSocket-Protocol header is not a valid list of distinct subprotocols: ${protocolProblem}.`,
    });
    return refuse({
      status: 400,
      reason: 'subprotocol',
      body: `Invalid Sec-WebSocket-Protocol header: ${protocolProblem}.\n`,
    });
  }

  if (input.serving >= settings.limits.maxConnections) {
    findings.push({
      code: 'too-many-connections',
      severity: 'error',
      message: `The endpoint already serves ${input.serving} connections, its limit; this one was refused.`,
    });
    return refuse({ status: 503, reason: 'limit', body: 'Too many connections.\n' });
  }

  // Security profiles 1 and 2: Basic auth. Profile 3: a verified client certificate.
  if (settings.securityProfile === 1 || settings.securityProfile === 2) {
    const auth = decodeBasicAuth(headerValue(request, 'authorization'));
    const denial = checkPassword(settings, identity, auth, findings);
    if (denial) return refuse(denial);
  }
  if (settings.securityProfile === 3) {
    const tls = input.tls;
    if (!tls || tls.peerChain.length === 0) {
      findings.push({
        code: 'client-cert-missing',
        severity: 'error',
        message: 'Security profile 3 needs a client certificate and the charger presented none.',
      });
      return refuse({
        status: 403,
        reason: 'cert',
        body: 'A client certificate is required (security profile 3).\n',
      });
    }
    if (!tls.authorized) {
      findings.push({
        code: 'client-cert-rejected',
        severity: 'error',
        message: `The charger's client certificate was not accepted: ${tls.authorizationError ?? 'not trusted'}.`,
      });
      return refuse({
        status: 403,
        reason: 'cert',
        body: `Client certificate not accepted: ${tls.authorizationError ?? 'untrusted'}.\n`,
      });
    }
  }

  if (settings.upstream) return { kind: 'proxy' };
  return chooseSubprotocol(input, findings);
}

function chooseSubprotocol(input: AdmissionInput, findings: Finding[]): AdmissionVerdict {
  const { settings, offeredProtocols: offered } = input;
  const chosenVersion = chooseVersion(settings.protocols, offered);
  let version = chosenVersion;
  if (!chosenVersion) {
    const supported = settings.protocols.map((v) => SUBPROTOCOL_OF[v]).join(', ');
    if (offered.length === 0)
      findings.push({
        code: 'no-subprotocol-offered',
        severity: 'error',
        message: `The charger offered no subprotocol (Sec-WebSocket-Protocol); it should offer one of ${supported}.`,
      });
    else {
      const legacy = offered.filter((p) => LEGACY_SUBPROTOCOLS.includes(p.toLowerCase()));
      findings.push({
        code: 'no-supported-subprotocol',
        severity: 'error',
        message: `The charger offered ${offered.join(', ')}, none of which is supported here (${supported})${legacy.length ? `; ${legacy.join(', ')} is an older OCPP version` : ''}.`,
      });
    }
    if (settings.unknownProtocol === 'refuse')
      return {
        kind: 'refuse',
        rejection: {
          status: 400,
          reason: 'subprotocol',
          body: `No supported OCPP subprotocol offered; this endpoint speaks ${supported}.\n`,
        },
      };
    version = settings.protocols[0];
    if (version)
      findings.push({
        code: 'assumed-version',
        severity: 'info',
        message:
          offered.length > 0
            ? `Accepted for diagnosis with its own subprotocol ${offered[0]}; frames are read as OCPP ${version}.`
            : `Accepted for diagnosis without a subprotocol; frames are read as OCPP ${version}.`,
      });
  }
  // Accepted for diagnosis: echo the charger's own first offer, so a strict client completes the handshake and
  // its frames can be seen (answering without the header would make it hang up).
  const chosenProtocol = chosenVersion
    ? offered.find((p) => p.toLowerCase() === SUBPROTOCOL_OF[chosenVersion])
    : offered[0];
  return { kind: 'accept', version, chosenProtocol };
}

function chooseVersion(
  preferred: readonly OcppVersion[],
  offered: readonly string[],
): OcppVersion | undefined {
  const lower = new Set(offered.map((p) => p.toLowerCase()));
  return preferred.find((v) => lower.has(SUBPROTOCOL_OF[v]));
}

function checkPassword(
  settings: EndpointSettings,
  identity: string,
  auth: BasicAuthInfo | undefined,
  findings: Finding[],
): Rejection | undefined {
  if (!auth) {
    findings.push({
      code: 'auth-missing',
      severity: 'error',
      message: 'Security profile 1/2 needs Basic auth and the charger sent no Authorization header.',
    });
    return settings.acceptAnyPassword
      ? undefined
      : { status: 401, reason: 'auth', headers: CHALLENGE, body: 'Basic authentication required.\n' };
  }
  if (auth.username !== identity)
    findings.push({
      code: 'auth-username-mismatch',
      severity: 'warning',
      message: `The Basic auth user "${auth.username}" is not the charge point identity "${identity}" from the URL.`,
    });
  if (settings.acceptAnyPassword) return undefined;
  const expected = settings.passwords[identity];
  if (expected === undefined) {
    findings.push({
      code: 'auth-unknown-identity',
      severity: 'error',
      message: `No password is configured for identity "${identity}".`,
    });
    return { status: 401, reason: 'auth', headers: CHALLENGE, body: 'Unknown identity.\n' };
  }
  if (!passwordMatches(auth, expected)) {
    findings.push({
      code: 'auth-wrong-password',
      severity: 'error',
      message: `The password sent for "${identity}" is not the configured one.`,
    });
    return { status: 401, reason: 'auth', headers: CHALLENGE, body: 'Wrong password.\n' };
  }
  return undefined;
}

/** A printable password compares as text; a binary one (1.6 security: 20 bytes) as text or as its hex spelling. */
function passwordMatches(auth: BasicAuthInfo, expected: string): boolean {
  if (auth.printable && auth.password === expected) return true;
  if (auth.passwordHex === expected.toLowerCase()) return true;
  if (auth.printable) return false;
  return latin1OfHex(auth.passwordHex) === expected;
}

function latin1OfHex(hex: string): string {
  let s = '';
  for (let i = 0; i + 1 < hex.length; i += 2) s += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return s;
}
