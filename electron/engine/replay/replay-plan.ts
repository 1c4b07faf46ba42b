import type { FrameEvent, OpenedEvent, ScopeEvent, Sender } from '../../../shared/capture/events';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { versionOfSubprotocol } from '../../../shared/ocpp/versions';

/**
 * What a replay will do, from one recorded connection: the frames our side sent (CALLs with the answers the peer
 * gave, SENDs, and frames that did not parse, sent as recorded), and the CALLs the peer sent with the answers we gave.
 */

export interface OutgoingStep {
  index: number;
  kind: 'call' | 'send' | 'raw';
  rec: FrameEvent;
  action: string;
  /** The recorded answer to our CALL (CALLRESULT or CALLERROR). */
  answer?: FrameEvent;
  /** Indices of peer CALLs recorded before this step: the replay waits for them first, to keep the order. */
  after: number[];
}

export interface IncomingStep {
  index: number;
  rec: FrameEvent;
  action: string;
  /** What we answered in the recording. */
  answer?: FrameEvent;
}

export interface ReplayPlan {
  conn: string;
  identity: string;
  version: OcppVersion | undefined;
  /** The side the tool plays. */
  side: Sender;
  outgoing: OutgoingStep[];
  incoming: IncomingStep[];
  total: number;
  /** Recorded time of the first frame (for timestamp shifting and timing). */
  t0: number;
}

export function connectionsWithFrames(events: readonly ScopeEvent[]): string[] {
  const seen: string[] = [];
  for (const e of events) if (e.kind === 'frame' && !seen.includes(e.conn)) seen.push(e.conn);
  return seen;
}

export function buildPlan(
  events: readonly ScopeEvent[],
  side: Sender,
  conn?: string,
): ReplayPlan | { error: string } {
  const conns = connectionsWithFrames(events);
  const chosen = conn ?? conns[0];
  if (chosen === undefined) return { error: 'The capture holds no frames to replay.' };
  if (!conns.includes(chosen)) return { error: `The capture has no frames on connection ${chosen}.` };
  const opened = events.find((e): e is OpenedEvent => e.kind === 'opened' && e.conn === chosen && e.ok);
  const frames = events.filter((e): e is FrameEvent => e.kind === 'frame' && e.conn === chosen && !e.binary);
  const peer: Sender = side === 'station' ? 'csms' : 'station';
  const answers = new Map<string, FrameEvent>(); // `${answeringSender} ${id}` -> answer
  for (const f of frames) {
    if (f.msg && (f.msg.type === 3 || f.msg.type === 4)) {
      const k = `${f.sender} ${f.msg.id}`;
      if (!answers.has(k)) answers.set(k, f);
    }
  }
  const outgoing: OutgoingStep[] = [];
  const incoming: IncomingStep[] = [];
  let index = 0;
  let pendingPeer: number[] = [];
  for (const f of frames) {
    if (f.sender === side) {
      if (!f.msg) {
        outgoing.push({ index: index++, kind: 'raw', rec: f, action: '(unparsed)', after: pendingPeer });
        pendingPeer = [];
      } else if (f.msg.type === 2 || f.msg.type === 6) {
        const answer = f.msg.type === 2 ? answers.get(`${peer} ${f.msg.id}`) : undefined;
        outgoing.push({
          index: index++,
          kind: f.msg.type === 2 ? 'call' : 'send',
          rec: f,
          action: f.msg.action ?? '',
          ...(answer ? { answer } : {}),
          after: pendingPeer,
        });
        pendingPeer = [];
      }
    } else if (f.msg?.type === 2 || f.msg?.type === 6) {
      const answer = f.msg.type === 2 ? answers.get(`${side} ${f.msg.id}`) : undefined;
      incoming.push({ index, rec: f, action: f.msg.action ?? '', ...(answer ? { answer } : {}) });
      pendingPeer = [...pendingPeer, index];
      index++;
    }
  }
  const version =
    opened?.connection.version ?? versionOfSubprotocol(opened?.handshake.chosenProtocol) ?? undefined;
  return {
    conn: chosen,
    identity: opened?.connection.identity ?? '',
    version,
    side,
    outgoing,
    incoming,
    total: index,
    t0: frames[0]?.t ?? 0,
  };
}
