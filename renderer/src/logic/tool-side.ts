import type { ConnectionRole, ScopeEvent, Sender } from '../types';
import { formatRtt, sentByUs } from './format';

/**
 * The tool's side of the wire on a connection: the role it played (CSMS, charging station or proxy), whether it sent
 * a frame, and so where a round trip was measured. A round trip is the answer's time at the wire minus the
 * request's, taken by this tool at its own socket; every place that shows one (the log's RTT column, a connection
 * card, the detail pane) says where with the one phrase below.
 */

/** Where a connection's times were taken: by this tool in one of its roles, or in an imported file. */
export type ToolSide = ConnectionRole | 'har' | 'pcap';

/** What the side is told from: a HAR or pcap import names its connections har-1, pcap-2 (and keeps them if saved). */
export interface SideOf {
  id: string;
  role?: ConnectionRole | undefined;
}

export function toolSide(c: SideOf | undefined): ToolSide | undefined {
  if (!c) return undefined;
  if (c.id.startsWith('har-')) return 'har';
  if (c.id.startsWith('pcap-')) return 'pcap';
  return c.role;
}

/**
 * Whether the peer sent a frame (not this tool), or undefined when that is not known: the connection's upgrade has
 * not been read, or it is an import, whose role only says from which side the file saw the traffic.
 */
export function peerSent(c: SideOf | undefined, sender: Sender): boolean | undefined {
  const side = toolSide(c);
  if (side === undefined || side === 'har' || side === 'pcap') return undefined;
  return !sentByUs(sender, side);
}

/** The sender this tool is on the wire in its role (a proxy is neither: it forwards both). */
export function toolSender(role: ConnectionRole | undefined): Sender | undefined {
  return role === 'endpoint' ? 'csms' : role === 'station' ? 'station' : undefined;
}

/** The exchange a round trip belongs to: who asked (sent the request, or the ping), and whether it was a ping. */
export interface Exchange {
  requester?: Sender | undefined;
  ping?: boolean;
}

const otherSender = (s: Sender): Sender => (s === 'station' ? 'csms' : 'station');

/** Who asked, as far as the event tells: a CALL's sender, the other side of an answer, the other side of a pong. */
export function exchangeOf(e: ScopeEvent): Exchange {
  if (e.kind === 'ping') return { requester: e.sender, ping: true };
  if (e.kind === 'pong') return { requester: otherSender(e.sender), ping: true };
  if (e.kind !== 'frame') return {};
  if (e.msg?.type === 2) return { requester: e.sender };
  // An answer (a malformed one still pairs with its request, without a parsed view).
  if ((e.msg && e.msg.type !== 6) || e.pair) return { requester: otherSender(e.sender) };
  return {};
}

const AS: Record<ConnectionRole, string> = {
  endpoint: 'as the CSMS (endpoint)',
  station: 'as the charging station',
  proxy: 'as the proxy',
};

const PEER: Record<'endpoint' | 'station', string> = { endpoint: 'the charger', station: 'the CSMS' };
const PARTY: Record<Sender, string> = { station: 'the charger', csms: 'the CSMS' };
const LEG: Record<Sender, string> = { station: 'charger leg', csms: 'CSMS leg' };

function atOurSocket(role: 'endpoint' | 'station', x: Exchange): string {
  const [ask, answer] = x.ping ? ['ping', 'pong'] : ['request', 'answer'];
  const peer = PEER[role];
  const ours = `from our ${ask} handed to the socket to ${peer}’s ${answer} read from it`;
  const theirs = `from ${peer}’s ${ask} read from the socket to our ${answer} handed to it`;
  const between =
    x.requester === undefined ? `${theirs}, or ${ours}` : x.requester === toolSender(role) ? ours : theirs;
  return `measured by OCPP Scope ${AS[role]}, at its socket: ${between}`;
}

function betweenLegs(x: Exchange): string {
  const r = x.requester;
  const between =
    r === undefined
      ? 'from a request read on one leg to its answer read on the other'
      : `from ${PARTY[r]}’s request read on the ${LEG[r]} to ${PARTY[otherSender(r)]}’s answer read on the ${LEG[otherSender(r)]}`;
  return `measured by OCPP Scope ${AS.proxy}, between its two legs: ${between} (forwarding, and any time a frame was held, included)`;
}

/**
 * Where a round trip was measured and between which moments, as a phrase to follow the time: "12 ms, measured by
 * OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer
 * handed to it".
 */
export function rttWhere(side: ToolSide | undefined, x: Exchange = {}): string {
  switch (side) {
    case 'endpoint':
    case 'station':
      return atOurSocket(side, x);
    case 'proxy':
      return betweenLegs(x);
    case 'har':
      return 'from the times in the imported HAR file (the recording client’s clock), not measured by OCPP Scope';
    case 'pcap':
      return 'from the packet timestamps in the imported pcap (where the traffic was captured), not measured by OCPP Scope';
    default:
      return 'where it was measured is not known: the connection’s upgrade is not in this log';
  }
}

/** A round trip with where it was measured, in words; empty when there is no time to show. */
export function rttSentence(ms: number | undefined, side: ToolSide | undefined, x: Exchange = {}): string {
  const time = formatRtt(ms);
  return time ? `${time}, ${rttWhere(side, x)}` : '';
}

/** The RTT column's header: what the number is, and that each cell says where it was measured. */
export const RTT_COLUMN_HINT =
  'Round-trip time: the answer’s time at the wire minus the request’s, taken on this tool’s side: as the CSMS or as ' +
  'the charging station at its socket, as the proxy between its two legs (an imported HAR or pcap: the file’s own ' +
  'timestamps). Point at a cell to see where that one was measured.';
