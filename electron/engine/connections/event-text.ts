import type { Finding, ScopeEvent } from '../../../shared/capture/events';
import { transferSummary } from '../../../shared/capture/transfer-text';
import type { TimeZoneMode } from '../../../shared/time-zone';
import { clockText } from '../../../shared/time-zone';

const MAX_TEXT = 2000;

function findingsText(findings: readonly Finding[] | undefined): string {
  if (!findings || findings.length === 0) return '';
  return findings
    .map((f) => `\n    ! ${f.severity} ${f.code}${f.path ? ` at ${f.path}` : ''}: ${f.message}`)
    .join('');
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters)` : text;
}

/**
 * One event as text for a terminal: time, connection, what happened, and its findings on indented lines.
 * Frames are shown exactly as sent (long ones clipped); `station>` / `csms>` say who sent them.
 */
export function eventToText(
  e: ScopeEvent,
  identities?: Map<string, string>,
  zone: TimeZoneMode = 'utc',
): string {
  const who = identities?.get(e.conn);
  const leg = e.kind === 'opened' && e.leg ? ` [${e.leg === 'charger' ? 'charger leg' : 'CSMS leg'}]` : '';
  const head = `${clockText(e.t, zone)} ${e.conn}${who ? ` ${who}` : ''}${leg}`;
  switch (e.kind) {
    case 'opened': {
      const hs = e.handshake;
      if (!e.ok) {
        const f = hs.failure;
        const codes = hs.findings.map((x) => x.code).join(', ');
        return `${head} FAILED ${e.connection.url}${f ? ` [${f.code}] ${f.message}` : ''}${
          !f && codes ? ` (${codes})` : ''
        }${hs.response ? `\n    < ${hs.response.startLine}` : ''}${f ? '' : findingsText(hs.findings)}`;
      }
      // A station dialled out: the remote address is the server it reached, not where the connection came from.
      const peer = e.connection.role === 'station' ? 'to' : 'from';
      const from = hs.remote ? ` ${peer} ${hs.remote.address}:${hs.remote.port}` : '';
      const tls = hs.tls ? ` ${hs.tls.protocol ?? 'TLS'}` : '';
      return `${head} opened ${e.connection.role} ${e.connection.url} OCPP ${e.connection.version ?? '?'} (${
        hs.chosenProtocol ?? 'no subprotocol'
      })${from}${tls}${findingsText(hs.findings)}`;
    }
    case 'frame': {
      const rtt = e.pair?.rttMs !== undefined ? ` (${e.pair.rttMs.toFixed(1)} ms)` : '';
      const body = e.binary ? `<binary, base64> ${e.text}` : e.text;
      return `${head} ${e.sender}> ${clip(body)}${rtt}${findingsText(e.findings)}`;
    }
    case 'ping':
    case 'pong':
      return `${head} ${e.kind} from ${e.sender}${e.rttMs !== undefined ? ` ${e.rttMs.toFixed(1)} ms` : ''}`;
    case 'closed':
      return `${head} closed ${e.code}${e.reason ? ` "${e.reason}"` : ''} by ${e.by}${e.clean ? '' : ' (not clean)'}`;
    case 'error':
      return `${head} error ${e.code}: ${e.message}`;
    case 'note':
      return `${head} note: ${e.text}${findingsText(e.findings)}`;
    case 'transfer':
      return `${head} transfer ${transferSummary(e)}${findingsText(e.findings)}`;
  }
}
