import type { ConnectionInfo, ProxyLeg, ScopeEvent, Sender } from '../types';
import { diagnoseOpened, diagnosisLine } from '../../../shared/capture/handshake-diagnosis';
import type { TimeZoneMode } from '../../../shared/time-zone';
import { clockText, dateTimeText } from '../../../shared/time-zone';
import { MESSAGE_TYPE_NAME, type MessageTypeId } from '../../../shared/ocpp/frame-types';
import { transferSummary } from '../../../shared/capture/transfer-text';

/** Formatting for the log and the panes: short, fixed-width where it helps scanning a column. */

let zone: TimeZoneMode = 'local';

/** The settings' time zone switch (AppSettings.timeZone), the same as the CLI's --utc. */
export function setDisplayTimeZone(mode: TimeZoneMode): void {
  zone = mode;
}

export function displayTimeZone(): TimeZoneMode {
  return zone;
}

/** Wall-clock time with milliseconds, as a packet list shows it: 14:03:07.412 (local time or UTC, per the switch). */
export function formatTime(t: number): string {
  return clockText(t, zone);
}

/** Date and time, for "since" and report headers. */
export function formatDateTime(t: number): string {
  return dateTimeText(t, zone);
}

/** A round-trip time a person reads at a glance: "<1 ms", "37 ms", "1.25 s", "2 min 5 s". */
export function formatRtt(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** How long ago, relative to `now`: "12 s", "4 min", "2 h 5 min". */
export function formatSince(since: number, now: number): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

export { formatBytes } from '../../../shared/units';

/** 1234567 -> "1,234,567" with a thin, locale-independent separator so tests and screenshots agree. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function messageTypeName(type: number | undefined): string {
  if (type === undefined) return '';
  return MESSAGE_TYPE_NAME[type as MessageTypeId] ?? `type ${type}`;
}

/** Which way a frame went, in OCPP terms: the charging station (CS) or the central system (CSMS) sent it. */
export function directionLabel(sender: Sender): string {
  return sender === 'station' ? 'CS → CSMS' : 'CSMS → CS';
}

/** Whether the tool itself sent this frame, given the role it plays on the connection. */
export function sentByUs(sender: Sender, role: ConnectionInfo['role'] | undefined): boolean {
  if (role === 'endpoint') return sender === 'csms';
  if (role === 'station') return sender === 'station';
  return false;
}

/** The proxy's two legs, as cards and rows name them. */
export const LEG_NAME: Record<ProxyLeg, string> = { charger: 'charger leg', csms: 'CSMS leg' };

/** The one-line summary the log shows in its "action" column for events that are not frames. */
export function eventSummary(e: ScopeEvent): string {
  switch (e.kind) {
    case 'frame':
      if (e.msg)
        return e.msg.errorCode ? `${e.msg.action ?? ''} ${e.msg.errorCode}`.trim() : (e.msg.action ?? '');
      return e.problem ? `unparsable: ${e.problem.code}` : '';
    case 'opened': {
      // A proxied pair opens twice: say which leg, so the two rows read apart.
      const leg = e.leg ? `${LEG_NAME[e.leg]}: ` : '';
      if (e.ok) return `${leg}connected ${e.handshake.chosenProtocol ?? '(no subprotocol)'}`;
      const d = diagnoseOpened(e);
      return leg + (d ? diagnosisLine(d) : 'failed');
    }
    case 'closed':
      return `closed ${e.code}${e.reason ? ` ${e.reason}` : ''} by ${e.by}${e.clean ? '' : ' (unclean)'}`;
    case 'ping':
      return `ping from the ${e.sender === 'station' ? 'station' : 'CSMS'}`;
    case 'pong': {
      // A pong answers the other side's ping: name who pinged, so a keepalive row reads without its partner.
      const pinger = e.sender === 'station' ? 'CSMS' : 'station';
      return `pong to the ${pinger}'s ping${e.rttMs !== undefined ? ` ${formatRtt(e.rttMs)}` : ''}`;
    }
    case 'error':
      return `${e.code}: ${e.message}`;
    case 'note':
      return e.text;
    case 'transfer':
      return transferSummary(e);
  }
}

/** Pretty JSON of a frame's text when it parses; otherwise undefined (the raw text is shown instead). */
export function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}
