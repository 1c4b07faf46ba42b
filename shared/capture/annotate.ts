import { parseFrame, problemForEvent } from '../ocpp/frame';
import type { OcppVersion } from '../ocpp/versions';
import type { FrameEvent, ScopeEvent, Sender } from './events';

/**
 * Fills the parsed view of frames that came from outside the engine (HAR, pcap): message type, id, the action a
 * response answers, the pairing and round-trip time. Schema findings are the engine's job; importers keep theirs.
 */
export function annotateFrames(
  events: ScopeEvent[],
  versionOf: (conn: string) => OcppVersion | undefined,
): void {
  // conn + requester + id -> request event
  const open = new Map<string, FrameEvent>();
  for (const e of events) {
    if (e.kind !== 'frame' || e.binary) continue;
    const r = parseFrame(e.text, versionOf(e.conn));
    if (!r.ok) {
      if (!e.problem) e.problem = problemForEvent(r.problem);
      continue;
    }
    const f = r.frame;
    e.msg = { type: f.type, id: f.id };
    if (f.type === 2 || f.type === 6) {
      e.msg.action = f.action;
      if (f.type === 2) open.set(`${e.conn}\u0000${e.sender}\u0000${f.id}`, e);
      continue;
    }
    if (f.type === 4 || f.type === 5) e.msg.errorCode = f.errorCode;
    const requester: Sender = e.sender === 'station' ? 'csms' : 'station';
    const key = `${e.conn}\u0000${requester}\u0000${f.id}`;
    const req = open.get(key);
    if (req && f.type !== 5) {
      open.delete(key);
      e.msg.action = req.msg?.action;
      const rttMs = Math.max(0, Math.round((e.t - req.t) * 1000) / 1000);
      e.pair = { partnerSeq: req.seq, rttMs };
      req.pair = { partnerSeq: e.seq };
    }
  }
}
