import type { HandshakeFailure, HandshakeStage } from '../../../shared/capture/events';

function failure(stage: HandshakeStage, code: string, message: string, detail?: string): HandshakeFailure {
  const f: HandshakeFailure = { stage, code, message };
  if (detail !== undefined && detail !== '') f.detail = detail;
  return f;
}

export interface SocketErrorContext {
  host: string;
  port: number;
  /** Did the TCP connection get established before the error? */
  tcpConnected: boolean;
  /** Did the TLS handshake complete? */
  tlsDone: boolean;
  secure: boolean;
  timeoutSec: number;
  /** A client certificate was configured (profile 3). */
  clientCertificate: boolean;
}

/** Turns a socket, DNS or TLS error from a connection attempt into one line an installer can act on. */
export function diagnoseSocketError(error: unknown, ctx: SocketErrorContext): HandshakeFailure {
  const e = error as { code?: string; message?: string; reason?: string };
  const code = e.code ?? '';
  const detail = [code, e.message].filter((s) => s).join(': ');
  const where = `${ctx.host}:${ctx.port}`;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return failure(
        'dns',
        'dns-not-found',
        `The name "${ctx.host}" could not be resolved (DNS): check the spelling of the host in the URL and the network's DNS.`,
        detail,
      );
    case 'ECONNREFUSED':
      return failure(
        'tcp',
        'tcp-refused',
        `Nothing accepts connections on ${where}: the port is wrong or the server is not running.`,
        detail,
      );
    case 'ETIMEDOUT':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return failure(
        'tcp',
        'tcp-timeout',
        `${where} did not answer: a firewall, a wrong address or no route to the server.`,
        detail,
      );
    case 'ECONNRESET':
    case 'EPIPE':
      // TLS 1.3 finishes the client's side of the handshake before the server checks our certificate, so a
      // refused client certificate often shows up only as the server hanging up right after TLS.
      if (ctx.secure && ctx.tlsDone && ctx.clientCertificate)
        return failure(
          'tls',
          'tls-client-cert-rejected',
          `The server hung up right after the TLS handshake: it most likely refused our client certificate (not signed by a CA it trusts, or expired).`,
          detail,
        );
      if (ctx.secure && !ctx.tlsDone)
        return failure(
          'tls',
          'tls-reset',
          `The server closed the connection during the TLS handshake: it may require a client certificate or a TLS version we did not offer.`,
          detail,
        );
      return failure(
        'http',
        'connection-reset',
        `The server closed the connection before answering the WebSocket upgrade.`,
        detail,
      );
    case 'CERT_HAS_EXPIRED':
      return failure(
        'tls',
        'tls-expired',
        `The server's certificate has expired: renew it on the server (or check this computer's clock).`,
        detail,
      );
    case 'CERT_NOT_YET_VALID':
      return failure(
        'tls',
        'tls-not-yet-valid',
        `The server's certificate is not valid yet: check the clocks of this computer and the server.`,
        detail,
      );
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
    case 'CERT_UNTRUSTED':
      return failure(
        'tls',
        'tls-unknown-ca',
        `The server's certificate is not signed by a CA we trust: install the right CA, or the server is missing an intermediate certificate.`,
        detail,
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return failure(
        'tls',
        'tls-name-mismatch',
        `The server's certificate is for another name than "${ctx.host}": use the name the certificate was issued for, or reissue it.`,
        detail,
      );
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED':
    case 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED':
      return failure(
        'tls',
        'tls-client-cert-rejected',
        ctx.clientCertificate
          ? `The server refused our client certificate during TLS: it does not trust the CA that signed it, or it has expired.`
          : `The server requires a client certificate (security profile 3) and none is configured.`,
        detail,
      );
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return failure(
        'tls',
        'tls-not-tls',
        `The server did not answer with TLS: use ws:// instead of wss://, or the right port.`,
        detail,
      );
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
      return failure('tls', 'tls-version', `The server and this tool share no TLS version.`, detail);
    case 'handshake-timeout':
      if (!ctx.tcpConnected)
        return failure(
          'tcp',
          'tcp-timeout',
          `${where} did not answer within ${ctx.timeoutSec} s: a firewall, a wrong address or no route to the server.`,
          detail,
        );
      if (ctx.secure && !ctx.tlsDone)
        return failure(
          'tls',
          'tls-timeout',
          `The TLS handshake with ${where} did not finish within ${ctx.timeoutSec} s.`,
          detail,
        );
      return failure(
        'http',
        'http-timeout',
        `${where} accepted the connection but did not answer the WebSocket upgrade within ${ctx.timeoutSec} s.`,
        detail,
      );
    default:
      if (/parse error|HPE_/i.test(detail) || code.startsWith('HPE_'))
        return failure(
          'http',
          'http-malformed',
          `The server's answer is not valid HTTP: is this the right port (not a TLS or non-HTTP service)?`,
          detail,
        );
      if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
        return failure('tls', 'tls-failed', `The TLS handshake failed.`, detail);
      return failure(
        ctx.tcpConnected ? 'http' : 'tcp',
        'connection-failed',
        `The connection failed: ${e.message ?? code}.`,
        detail,
      );
  }
}

/** The first line of a refusal's body, when the server explained itself (quoted into the diagnosis). */
function serverSays(body: string | undefined): string {
  const line = (body ?? '').trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '' || line.startsWith('<')) return '';
  return ` The server says: "${line.length > 200 ? `${line.slice(0, 200)}…` : line}".`;
}

export function diagnoseHttpStatus(
  status: number,
  statusText: string,
  clientCertificate: boolean,
  /** The refusal's body and whether the connection was TLS (wss), when known: they sharpen the 403 diagnosis. */
  context: { body?: string; secure?: boolean } = {},
): HandshakeFailure {
  const says = serverSays(context.body);
  if (status === 401)
    return failure(
      'auth',
      'auth-failed',
      `The server refused the credentials (HTTP 401): check the identity and password (AuthorizationKey).${says}`,
    );
  // Profile 3 servers often finish TLS whatever certificate comes, then refuse in HTTP so they can log it.
  if (status === 403 && clientCertificate)
    return failure(
      'auth',
      'client-cert-rejected',
      `The server completed TLS but then refused our client certificate (HTTP 403): check that it is issued by the CA the CSMS trusts, is within its validity dates, and names this station.${says}`,
    );
  if (status === 403 && context.secure)
    return failure(
      'auth',
      'client-cert-missing',
      `The server refused this station (HTTP 403) and we presented no client certificate: a CSMS using security profile 3 needs one (set a client certificate and key).${says}`,
    );
  if (status === 404)
    return failure(
      'http',
      'http-status',
      `The server has no OCPP endpoint at this path (HTTP 404): check the URL path and the identity.${says}`,
    );
  return failure(
    'http',
    'http-status',
    `The server answered HTTP ${status} ${statusText} instead of switching to WebSocket (101).${says}`,
  );
}

export function noSubprotocol(offered: string[]): HandshakeFailure {
  return failure(
    'subprotocol',
    'no-subprotocol',
    `The server accepted the WebSocket but chose no subprotocol (we offered ${offered.join(', ') || 'none'}): it may not support this OCPP version.`,
  );
}

export function unexpectedSubprotocol(chosen: string, offered: string[]): HandshakeFailure {
  return failure(
    'subprotocol',
    'unexpected-subprotocol',
    `The server chose subprotocol "${chosen}", which we did not offer (${offered.join(', ') || 'none'}).`,
  );
}
