import { BEHAVIOUR_CODES, type BehaviourCode } from './behaviour/catalogue';
import type { FrameProblemCode } from './frame-types';

/**
 * Every code the tool can put in a finding or a handshake failure, with its default severity, a one-line meaning and,
 * where one applies, the specification reference as an id only (the OCA documents' text is never copied).
 * docs/findings.md is generated from this list (`node build/gen-findings-doc.mjs`) and a test keeps both in step and
 * scans the source for codes that are missing here.
 */

export type FindingArea =
  | 'frame'
  | 'schema'
  | 'pairing'
  | 'behaviour'
  | 'handshake'
  | 'connection'
  | 'limits'
  | 'proxy'
  | 'capture'
  | 'pcap'
  | 'replay'
  | 'transfer'
  | 'engine';

export interface FindingSpec {
  code: string;
  area: FindingArea;
  severity: 'error' | 'warning' | 'info';
  /** One line a person understands: what the code says happened. */
  meaning: string;
  /** Section or requirement id, e.g. `OCPP-J 4.2.1` (1.6 and 2.x number these sections alike). */
  spec?: string;
}

const FRAME_PROBLEMS: Record<FrameProblemCode, string> = {
  'not-json': 'the text is not JSON',
  'not-array': 'the JSON is not an array',
  'empty-array': 'the array is empty',
  'message-type-not-number': 'the first element (message type) is not a number',
  'unknown-message-type': 'the message type is not one OCPP-J defines (2 to 6)',
  'message-type-not-supported':
    'the message type exists, but not in this OCPP version (5 and 6 are 2.1 only)',
  'wrong-element-count': 'the array has the wrong number of elements for its message type',
  'message-id-not-string': 'the message id is not a string',
  'message-id-empty': 'the message id is empty',
  'message-id-too-long': 'the message id is longer than 36 characters',
  'action-not-string': 'the action is not a string',
  'action-empty': 'the action is empty',
  'payload-not-object': 'the payload is not a JSON object',
  'error-code-not-string': 'the CALLERROR code is not a string',
  'error-description-not-string': 'the CALLERROR description is not a string',
  'error-details-not-object': 'the CALLERROR details are not a JSON object',
};

const frameProblems: FindingSpec[] = (Object.keys(FRAME_PROBLEMS) as FrameProblemCode[]).map((p) => ({
  code: `frame-${p}`,
  area: 'frame',
  severity: 'error',
  meaning: `Not a well-formed OCPP-J frame: ${FRAME_PROBLEMS[p]}.`,
  spec: 'OCPP-J 4.2',
}));

const captureLineProblems: FindingSpec[] = (
  [
    ['header-not-json', 'the first line of the file is not JSON'],
    ['header-not-object', 'the first line of the file is not a JSON object'],
    ['not-a-capture', 'the first line does not name the capture format'],
    ['unsupported-version', 'the capture format version is newer than this tool reads'],
    ['event-not-json', 'a line is not JSON; it is skipped and the rest of the file still opens'],
    ['event-not-object', 'a line is not a JSON object; it is skipped'],
    ['event-unknown-kind', 'a line names an event kind this tool does not know; it is skipped'],
    ['event-missing-field', 'an event lacks a field every reader relies on; it is skipped'],
    [
      'event-bad-field',
      'a field of an event has the wrong type or value (the reason names it); it is skipped',
    ],
    [
      'event-bad-text',
      'a frame line with its text verbatim (format 2) is damaged where it is cut (its textBytes does not lead to the text, cuts a character, or its other members are not JSON) or its text is not UTF-8; it is skipped (a line found so when its event is read stays in the list as a note in its place)',
    ],
    ['read-failed', 'reading the file stopped with an error; the events before it are kept'],
    ['truncated-tail', 'the file ends in the middle of a line (the app was killed while writing)'],
    [
      'no-header',
      'the first line that is not blank is an event, not a capture header (another tool wrote the file); the file is read as bare events of format 1',
    ],
    ['line-too-long', 'a line is 64 MB or longer; it is skipped unread and the rest of the file still opens'],
  ] as const
).map(([code, meaning]) => ({
  code: `capture-${code}`,
  area: 'capture' as const,
  severity: 'error' as const,
  meaning: `Capture file: ${meaning}.`,
}));

const harImport: FindingSpec[] = (
  [
    ['not-json', 'error', 'the file is not JSON (or ends too early), so it is not a HAR file'],
    ['no-entries', 'error', 'the JSON has no log.entries, so it is not a HAR file'],
    ['no-websocket', 'warning', 'the HAR file holds no WebSocket entries (record with the WS filter on)'],
    [
      'no-upgrade',
      'warning',
      'a WebSocket entry has no upgrade request; its identity and subprotocol are unknown',
    ],
    [
      'bad-message',
      'warning',
      'a WebSocket message of an entry is not an object with a type and data; it is skipped',
    ],
    [
      'too-many-messages',
      'error',
      'the import stopped at its bound on messages; the rest of the file is not read',
    ],
  ] as const
).map(([code, severity, meaning]) => ({
  code: `har-${code}`,
  area: 'capture' as const,
  severity,
  meaning: `HAR import: ${meaning}.`,
}));

const replayOutcomes: FindingSpec[] = (
  [
    ['differed', 'warning', 'the live peer answered, but some fields differ from the recording'],
    ['missing', 'warning', 'a recorded frame of the peer did not come'],
    ['unexpected', 'info', 'the live peer sent a frame the recording does not have'],
    ['timed-out', 'warning', 'the live peer did not answer within the replay timeout'],
  ] as const
).map(([code, severity, meaning]) => ({
  code: `replay-${code}`,
  area: 'replay' as const,
  severity,
  meaning: `Replay: ${meaning}.`,
}));

const schema = (code: string, meaning: string): FindingSpec => ({
  code,
  area: 'schema',
  severity: 'error',
  meaning,
  spec: 'OCPP-J 4.3',
});

// The behaviour rules keep their codes beside them (with a spec id per version family); listed here as they are.
const behaviour: FindingSpec[] = Object.entries(BEHAVIOUR_CODES).map(([code, c]: [string, BehaviourCode]) => {
  const spec = [c.spec16 && `OCPP 1.6 ${c.spec16}`, c.spec2x && `OCPP 2.0.1/2.1 ${c.spec2x}`].filter(Boolean);
  const f: FindingSpec = { code, area: 'behaviour', severity: c.severity, meaning: c.meaning };
  if (spec.length) f.spec = spec.join('; ');
  return f;
});

export const FINDING_CATALOGUE: readonly FindingSpec[] = [
  ...frameProblems,
  {
    code: 'binary-frame',
    area: 'frame',
    severity: 'error',
    meaning: 'A binary WebSocket frame: OCPP-J uses text frames only.',
    spec: 'OCPP-J 4.1',
  },
  {
    code: 'invalid-utf8',
    area: 'frame',
    severity: 'error',
    meaning: 'A text frame whose bytes are not valid UTF-8.',
    spec: 'RFC 6455 8.1',
  },
  {
    code: 'wrong-direction',
    area: 'frame',
    severity: 'error',
    meaning: 'An action sent by the side that never sends it (a strict peer answers NotSupported).',
  },
  {
    code: 'send-not-allowed',
    area: 'frame',
    severity: 'error',
    meaning: 'A SEND (6) of an action that expects an answer: it must be a CALL (2).',
    spec: 'OCPP 2.1 OCPP-J 4.2.5',
  },
  {
    code: 'call-for-send-only',
    area: 'frame',
    severity: 'error',
    meaning: 'A CALL (2) of a SEND-only action such as NotifyPeriodicEventStream.',
    spec: 'OCPP 2.1 OCPP-J 4.2.5',
  },
  {
    code: 'unknown-error-code',
    area: 'frame',
    severity: 'warning',
    meaning: 'A CALLERROR code the version does not define (with a hint for 1.6/2.x spellings).',
    spec: 'OCPP-J 4.3',
  },
  schema('schema-required', 'A required property of the payload is missing.'),
  schema(
    'schema-integer-notation',
    'A 1.6 integer written with a fraction or exponent (1.0, 1e3): draft-04 validators refuse it.',
  ),
  schema(
    'schema-type',
    'A value has the wrong JSON type (a string for a number, a float for a 1.6 integer).',
  ),
  schema('schema-additional-property', 'The payload has a property its schema does not allow.'),
  schema('schema-enum', 'A value is not one of the values its schema lists.'),
  schema('schema-length', 'A string or list is shorter or longer than its schema allows.'),
  schema('schema-range', 'A number is outside the range (or multiple) its schema allows.'),
  schema('schema-format', 'A string does not have the format its schema names (date-time, uri).'),
  schema('schema-pattern', 'A string does not match the pattern its schema gives.'),
  schema('schema-items', 'A list or object has too few or too many items for its schema.'),
  schema('schema-invalid', 'The payload breaks its schema in a way not named above.'),
  {
    code: 'schema-more-not-listed',
    area: 'schema',
    severity: 'info',
    meaning: 'A very large payload: only its first schema violation is listed.',
  },
  {
    code: 'unknown-action',
    area: 'schema',
    severity: 'error',
    meaning: 'The action does not exist in this OCPP version (a strict peer answers NotImplemented).',
    spec: 'OCPP-J 4.3',
  },
  {
    code: 'no-response-schema',
    area: 'schema',
    severity: 'info',
    meaning: 'The answer to this action has no schema to check it against.',
  },
  {
    code: 'schema-compile-failed',
    area: 'schema',
    severity: 'warning',
    meaning: 'The schema for this action could not be compiled, so the payload was not checked.',
  },
  {
    code: 'duplicate-message-id',
    area: 'pairing',
    severity: 'error',
    meaning: 'A request id that is already in flight from the same sender.',
    spec: 'OCPP-J 4.1.3',
  },
  {
    code: 'reused-message-id',
    area: 'pairing',
    severity: 'warning',
    meaning: 'A request id the same sender used earlier on this connection.',
    spec: 'OCPP-J 4.1.3',
  },
  {
    code: 'call-while-pending',
    area: 'pairing',
    severity: 'warning',
    meaning: "A second CALL while the same sender's previous CALL is still unanswered.",
    spec: 'OCPP-J 4.1.1',
  },
  {
    code: 'response-to-unknown-id',
    area: 'pairing',
    severity: 'error',
    meaning: 'A response whose id matches no request of the other side.',
    spec: 'OCPP-J 4.1.3',
  },
  {
    code: 'duplicate-response',
    area: 'pairing',
    severity: 'error',
    meaning: 'A second response to one request.',
  },
  {
    code: 'response-after-timeout',
    area: 'pairing',
    severity: 'warning',
    meaning: 'A response later than the call timeout (still paired, with its round-trip time).',
  },
  {
    code: 'response-type-mismatch',
    area: 'pairing',
    severity: 'error',
    meaning: 'A CALLRESULT or CALLERROR to a SEND, or a CALLRESULTERROR to anything but a CALLRESULT.',
    spec: 'OCPP 2.1 OCPP-J 4.2.4',
  },
  {
    code: 'call-timeout',
    area: 'pairing',
    severity: 'error',
    meaning: 'A call that was not answered within the call timeout.',
  },
  {
    code: 'in-flight-limit',
    area: 'pairing',
    severity: 'warning',
    meaning:
      'More requests of one sender in flight than the tool keeps (4,096): the oldest are let go, without a call timeout; said once until half as many are in flight.',
  },
  {
    code: 'response-to-untracked-request',
    area: 'pairing',
    severity: 'info',
    meaning:
      'A response whose id matches no known request, on a connection where requests were let go (in-flight-limit): it may answer one of them.',
  },
  ...behaviour,
  {
    code: 'no-identity',
    area: 'handshake',
    severity: 'warning',
    meaning: 'The URL path has no charge point identity (its last segment is empty).',
    spec: 'OCPP-J 3.1.1',
  },
  {
    code: 'not-websocket-upgrade',
    area: 'handshake',
    severity: 'error',
    meaning: 'The request asks for an upgrade to something other than WebSocket.',
    spec: 'RFC 6455 4.2.1',
  },
  {
    code: 'missing-connection-upgrade',
    area: 'handshake',
    severity: 'error',
    meaning: 'The upgrade request lacks `Connection: Upgrade`.',
    spec: 'RFC 6455 4.2.1',
  },
  {
    code: 'not-websocket',
    area: 'handshake',
    severity: 'warning',
    meaning: 'A plain HTTP request with no WebSocket upgrade.',
  },
  {
    code: 'bad-websocket-key',
    area: 'handshake',
    severity: 'error',
    meaning: 'Sec-WebSocket-Key is missing or not 16 bytes in base64.',
    spec: 'RFC 6455 4.2.1',
  },
  {
    code: 'bad-websocket-version',
    area: 'handshake',
    severity: 'error',
    meaning: 'Sec-WebSocket-Version is missing or not 13.',
    spec: 'RFC 6455 4.2.1',
  },
  {
    code: 'bad-subprotocol-header',
    area: 'handshake',
    severity: 'error',
    meaning: 'Sec-WebSocket-Protocol is not a valid list of distinct subprotocols.',
    spec: 'RFC 6455 4.2.1',
  },
  {
    code: 'no-subprotocol-offered',
    area: 'handshake',
    severity: 'error',
    meaning: 'The charger offered no OCPP subprotocol.',
    spec: 'OCPP-J 3.1.2',
  },
  {
    code: 'no-supported-subprotocol',
    area: 'handshake',
    severity: 'error',
    meaning: 'The charger offered only subprotocols the endpoint does not support.',
    spec: 'OCPP-J 3.1.2',
  },
  {
    code: 'assumed-version',
    area: 'handshake',
    severity: 'info',
    meaning: 'No usable subprotocol was agreed; frames are checked against the version the endpoint assumed.',
  },
  {
    code: 'client-cert-missing',
    area: 'handshake',
    severity: 'error',
    meaning: 'Security profile 3 needs a client certificate and the charger presented none.',
    spec: 'OCPP security profile 3',
  },
  {
    code: 'client-cert-rejected',
    area: 'handshake',
    severity: 'error',
    meaning: "The charger's client certificate did not verify against the configured CA.",
    spec: 'OCPP security profile 3',
  },
  {
    code: 'auth-missing',
    area: 'handshake',
    severity: 'error',
    meaning: 'Security profile 1/2 needs Basic auth and the charger sent no Authorization header.',
    spec: 'OCPP security profile 1',
  },
  {
    code: 'auth-username-mismatch',
    area: 'handshake',
    severity: 'warning',
    meaning: 'The Basic auth user is not the charge point identity from the URL.',
    spec: 'OCPP security profile 1',
  },
  {
    code: 'auth-unknown-identity',
    area: 'handshake',
    severity: 'error',
    meaning: 'No password is configured for this identity.',
    spec: 'OCPP security profile 1',
  },
  {
    code: 'auth-wrong-password',
    area: 'handshake',
    severity: 'error',
    meaning: 'The password sent is not the one configured for this identity.',
    spec: 'OCPP security profile 1',
  },
  {
    code: 'upgrade-refused',
    area: 'handshake',
    severity: 'error',
    meaning: 'The upgrade was refused (the reason says why).',
  },
  {
    code: 'upgrade-failed',
    area: 'handshake',
    severity: 'error',
    meaning: 'The upgrade could not be completed (an error on the socket).',
  },
  {
    code: 'upstream-refused',
    area: 'proxy',
    severity: 'error',
    meaning: 'The upstream CSMS did not accept the proxied connection.',
  },
  {
    code: 'handshake-timeout',
    area: 'limits',
    severity: 'warning',
    meaning:
      'Sockets from one address were closed before their upgrade: no request within the handshake deadline, or the oldest closed to make room (counts per episode).',
  },
  {
    code: 'sockets-closed-before-upgrade',
    area: 'limits',
    severity: 'warning',
    meaning:
      'The finding on a handshake-timeout record: how many sockets from the address were closed, and why.',
  },
  {
    code: 'connection-reset',
    area: 'connection',
    severity: 'error',
    meaning: 'The peer hung up before the connection was established.',
  },
  {
    code: 'too-many-connections',
    area: 'limits',
    severity: 'error',
    meaning: 'The endpoint already serves its limit of connections; this one was refused.',
  },
  {
    code: 'frame-too-large',
    area: 'limits',
    severity: 'warning',
    meaning: 'A frame over the size limit set for frames.',
  },
  {
    code: 'rate-limit',
    area: 'limits',
    severity: 'warning',
    meaning:
      'A peer sent more frames per second than the configured limit (off by default); its frames waited. Says how many waited, how long and for how much, while it lasts and at its end.',
  },
  {
    code: 'fair-share-slowed',
    area: 'limits',
    severity: 'warning',
    meaning:
      'A connection used much more than its share of the engine while others were active; its frames waited so the others keep theirs. Says how many waited, how long and for how much.',
  },
  {
    code: 'held-calls-limit',
    area: 'limits',
    severity: 'warning',
    meaning: 'More calls held at once than the limit: the excess got the automatic answer.',
  },
  {
    code: 'held-frames-limit',
    area: 'limits',
    severity: 'warning',
    meaning: 'More proxied frames held at once than the limit: the excess was forwarded.',
  },
  {
    code: 'dead-peer',
    area: 'connection',
    severity: 'error',
    meaning: 'The peer did not answer a WebSocket ping in time; the connection was dropped.',
    spec: 'OCPP-J 5.3',
  },
  {
    code: 'incomplete-frame',
    area: 'connection',
    severity: 'warning',
    meaning: 'The peer disconnected in the middle of a frame; the partial frame is lost.',
  },
  {
    code: 'live-events-dropped',
    area: 'engine',
    severity: 'warning',
    meaning: 'The live view reached its memory bound and dropped its oldest events (recordings keep them).',
  },
  {
    code: 'proxy-edited',
    area: 'proxy',
    severity: 'info',
    meaning: 'A held frame was edited in OCPP Scope before it was forwarded.',
  },
  {
    code: 'proxy-injected',
    area: 'proxy',
    severity: 'info',
    meaning: 'A frame injected by OCPP Scope: the other side did not send it.',
  },
  {
    code: 'not-open',
    area: 'engine',
    severity: 'error',
    meaning: 'A frame was not sent because the connection is not open.',
  },
  {
    code: 'send-failed',
    area: 'connection',
    severity: 'error',
    meaning: 'The socket refused the frame (it was closing or broken).',
  },
  {
    code: 'closed',
    area: 'connection',
    severity: 'error',
    meaning: 'The peer closed the connection before it answered.',
  },
  {
    code: 'connect-failed',
    area: 'connection',
    severity: 'error',
    meaning: 'The connection could not be opened, for no reason the handshake recorded (CLI send).',
  },
  {
    code: 'internal-error',
    area: 'engine',
    severity: 'error',
    meaning: 'Something unexpected went wrong inside the tool (a bug: please report it).',
  },
  {
    code: 'rule-failed',
    area: 'engine',
    severity: 'error',
    meaning:
      'A behaviour rule failed on a frame, on the passing time or at the close (a bug: please report it); the frame is still recorded, but the rules may not have judged all of it. A rule that keeps failing on one connection is reported at its 1st, 2nd, 4th, 8th... failure, with the count, and always at the close.',
  },
  ...captureLineProblems,
  {
    code: 'capture-more-problems',
    area: 'capture',
    severity: 'warning',
    meaning: 'More bad lines than are listed one by one; the count says how many.',
  },
  {
    code: 'pcap-gap',
    area: 'pcap',
    severity: 'error',
    meaning: 'Bytes of a TCP stream are missing from the capture, so part of it cannot be decoded.',
  },
  {
    code: 'pcap-tls',
    area: 'pcap',
    severity: 'error',
    meaning: 'The connection is encrypted (TLS): a capture cannot show its frames.',
  },
  {
    code: 'pcap-permessage-deflate',
    area: 'pcap',
    severity: 'info',
    meaning:
      'permessage-deflate was negotiated: messages are shown inflated (with context takeover) as long as the capture holds the whole connection from its start.',
  },
  {
    code: 'pcap-inflate-failed',
    area: 'pcap',
    severity: 'error',
    meaning:
      'A compressed message could not be inflated (its context is from before the capture, or the data is corrupt): it and the later compressed messages of that side are shown compressed.',
  },
  {
    code: 'pcap-inflate-too-large',
    area: 'pcap',
    severity: 'error',
    meaning:
      'A compressed message inflates to more than 16 MB (a deflate bomb?): it and the later compressed messages of that side are shown compressed.',
  },
  {
    code: 'pcap-inflate-budget',
    area: 'pcap',
    severity: 'error',
    meaning:
      'The compressed connections of one import would hold more than 256 MB of inflated messages at once (large messages on several connections at the same time): the message that would pass it, and the later compressed messages of that side, are shown compressed, so memory stays bounded. What a side holds is given back once its message has been handed on (at its next message) or its connection ends, so the total a capture inflates to is not limited.',
  },
  {
    code: 'pcap-mid-stream',
    area: 'pcap',
    severity: 'warning',
    meaning: 'The capture starts after the upgrade: frames are decoded without the handshake.',
  },
  {
    code: 'pcap-no-websocket',
    area: 'pcap',
    severity: 'warning',
    meaning: 'No WebSocket upgrade was found in the capture.',
  },
  {
    code: 'ws-invalid-utf8',
    area: 'pcap',
    severity: 'error',
    meaning: 'A captured text frame is not valid UTF-8.',
    spec: 'RFC 6455 8.1',
  },
  ...replayOutcomes,
  ...harImport,
  {
    code: 'transfer-too-large',
    area: 'transfer',
    severity: 'error',
    meaning: 'An upload to the file server was larger than its limit and was refused (HTTP 413, FTP 552).',
  },
  {
    code: 'transfer-aborted',
    area: 'transfer',
    severity: 'error',
    meaning: 'A file transfer stopped before its end (the connection closed or failed).',
  },
  {
    code: 'transfer-incomplete',
    area: 'transfer',
    severity: 'error',
    meaning: 'An upload ended with fewer bytes than it announced.',
  },
  {
    code: 'transfer-storage-failed',
    area: 'transfer',
    severity: 'error',
    meaning: 'The file server could not write or read the file on this computer.',
  },
  {
    code: 'transfer-firmware-changed',
    area: 'transfer',
    severity: 'warning',
    meaning:
      'The firmware file changed on disk after it was picked: its SHA-256 and signature in the request no longer match.',
  },
  {
    code: 'refused-attempts-counted',
    area: 'limits',
    severity: 'warning',
    meaning:
      'A flood of refused attempts from one address (wrong passwords, malformed requests, over the limit): the first ones are recorded each, the rest counted in one record with counts by reason.',
  },
  {
    code: 'tls-to-plain-endpoint',
    area: 'connection',
    severity: 'error',
    meaning:
      'A charger started TLS (a wss:// URL) on a plain ws:// endpoint; the attempt is named by the host it asked for (SNI).',
  },
];

/**
 * Why a connection attempt failed (HandshakeFailure.code): the station's diagnoses and the endpoint's refusals.
 * Kept apart from findings because a failure names the one step that stopped the attempt.
 */
export const FAILURE_CATALOGUE: readonly FindingSpec[] = (
  [
    ['url-invalid', 'The URL is not a valid URL.'],
    ['url-scheme', 'The URL does not start with ws:// or wss://.'],
    ['dns-not-found', 'The host name could not be resolved.'],
    ['tcp-refused', 'Nothing accepts connections on that address and port.'],
    ['tcp-timeout', 'The address did not answer (firewall, wrong address, no route).'],
    ['tls-expired', "The server's certificate has expired (or the laptop's clock is wrong)."],
    ['tls-not-yet-valid', "The server's certificate is not valid yet (or the laptop's clock is wrong)."],
    ['tls-unknown-ca', "The server's certificate is not signed by a trusted CA."],
    ['tls-name-mismatch', "The server's certificate is for another host name."],
    ['tls-version', 'The two sides share no TLS version.'],
    ['tls-not-tls', 'wss:// was used but the server does not speak TLS.'],
    ['tls-timeout', 'The TLS handshake did not finish in time.'],
    ['tls-reset', 'The server hung up during the TLS handshake.'],
    ['tls-client-cert-rejected', 'The server refused our client certificate.'],
    ['tls-failed', 'The TLS handshake failed for another reason (the detail says which).'],
    ['tls-files', 'A certificate or key file could not be read.'],
    ['tls-insecure', 'Certificate checks were switched off (allow insecure).'],
    ['client-cert-missing', 'The server needs a client certificate and none was given.'],
    ['client-cert-rejected', 'The server did not accept the client certificate.'],
    ['http-status', 'The server answered the upgrade with an HTTP status other than 101.'],
    ['http-malformed', 'The server answered with something that is not HTTP.'],
    ['http-timeout', 'The server did not answer the upgrade request in time.'],
    ['auth-failed', 'The server refused the Basic auth credentials (HTTP 401).'],
    ['no-subprotocol', 'The server accepted the upgrade without choosing a subprotocol.'],
    ['unexpected-subprotocol', 'The server chose a subprotocol that was not offered.'],
    ['unexpected-response', 'The server answered the upgrade in a way WebSocket does not allow.'],
    ['bad-upgrade-response', "The server's 101 answer is not a valid WebSocket upgrade."],
    ['bad-request-options', 'The connection could not be attempted with the options given.'],
    ['no-response', 'No answer to the upgrade request.'],
    ['internal-error', 'Something unexpected went wrong inside the tool.'],
  ] as const
).map(([code, meaning]) => ({ code, area: 'handshake' as const, severity: 'error' as const, meaning }));

const BY_CODE = new Map(FINDING_CATALOGUE.map((f) => [f.code, f]));

export function findingSpec(code: string): FindingSpec | undefined {
  return BY_CODE.get(code);
}
