import type { Finding, FrameSummary, PairInfo, Sender } from '../../shared/capture/events';
import { parseFrame } from '../../shared/ocpp/frame';
import type { Frame, FrameProblem } from '../../shared/ocpp/frame-types';
import { validatePayload } from '../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../shared/ocpp/versions';

/** A CALL waiting for its answer, from one sender. */
export interface PendingCall {
  seq: number;
  mono: number;
  action: string;
}

export interface Analysis {
  frame?: Frame;
  msg?: FrameSummary;
  problem?: FrameProblem;
  findings: Finding[];
  pair?: PairInfo;
  /** For a response: the call it answers. */
  answers?: PendingCall & { id: string };
}

const MAX_TIMED_OUT = 256;

/**
 * Parses, validates and pairs the frames of one connection. Each sender has its own id space, so calls are tracked
 * per sender; a response from one side answers a call of the other. Validation annotates, never blocks.
 */
export class FrameAnalyzer {
  readonly pending: Record<Sender, Map<string, PendingCall>> = { station: new Map(), csms: new Map() };
  /** Calls that timed out, kept a while so a late answer is still paired and named. */
  private readonly timedOut: Record<Sender, Map<string, PendingCall>> = {
    station: new Map(),
    csms: new Map(),
  };

  constructor(public version: OcppVersion | undefined) {}

  analyze(text: string, sender: Sender, mono: number): Analysis {
    const parsed = parseFrame(text, this.version);
    if (!parsed.ok) {
      const p = parsed.problem;
      return {
        problem: p,
        findings: [
          { code: `frame-${p.code}`, severity: 'error', message: p.message, errorCode: p.errorCode },
        ],
      };
    }
    const frame = parsed.frame;
    const findings: Finding[] = [];
    const a: Analysis = { frame, findings, msg: { type: frame.type, id: frame.id } };
    const other: Sender = sender === 'station' ? 'csms' : 'station';
    const v = this.version;
    switch (frame.type) {
      case 2:
      case 6: {
        a.msg!.action = frame.action;
        if (v) findings.push(...validatePayload(v, frame.action, 'request', frame.payload));
        if (frame.type === 2) {
          const mine = this.pending[sender];
          if (mine.has(frame.id))
            findings.push({
              code: 'duplicate-message-id',
              severity: 'warning',
              message: `Message id "${frame.id}" is already used by a CALL that is still waiting for its answer.`,
            });
          else if (mine.size > 0)
            findings.push({
              code: 'call-while-in-flight',
              severity: 'warning',
              message: `A CALL was sent while ${mine.size} earlier CALL(s) from the same side were unanswered (OCPP-J allows one at a time).`,
            });
        }
        break;
      }
      case 3:
      case 4: {
        const call = this.take(other, frame.id);
        if (call) {
          a.msg!.action = call.action;
          a.answers = { ...call, id: frame.id };
          a.pair = { partnerSeq: call.seq, rttMs: Math.max(0, mono - call.mono) };
          if (frame.type === 3 && v)
            findings.push(...validatePayload(v, call.action, 'response', frame.payload));
        } else {
          const late = this.timedOut[other].get(frame.id);
          if (late) {
            this.timedOut[other].delete(frame.id);
            a.msg!.action = late.action;
            a.pair = { partnerSeq: late.seq, rttMs: Math.max(0, mono - late.mono) };
            findings.push({
              code: 'late-response',
              severity: 'warning',
              message: `This answer to ${late.action} came after the call had timed out.`,
            });
            if (frame.type === 3 && v)
              findings.push(...validatePayload(v, late.action, 'response', frame.payload));
          } else
            findings.push({
              code: 'unknown-message-id',
              severity: 'warning',
              message: `No CALL with id "${frame.id}" is waiting for an answer.`,
            });
        }
        if (frame.type === 4) a.msg!.errorCode = frame.errorCode;
        break;
      }
      case 5:
        a.msg!.errorCode = frame.errorCode;
        break;
    }
    return a;
  }

  /** Registers a CALL once its event has a seq. */
  track(sender: Sender, id: string, call: PendingCall): void {
    this.pending[sender].set(id, call);
  }

  markTimedOut(sender: Sender, id: string): PendingCall | undefined {
    const call = this.take(sender, id);
    if (!call) return undefined;
    const map = this.timedOut[sender];
    map.set(id, call);
    if (map.size > MAX_TIMED_OUT) map.delete(map.keys().next().value as string);
    return call;
  }

  private take(sender: Sender, id: string): PendingCall | undefined {
    const map = this.pending[sender];
    const call = map.get(id);
    if (call) map.delete(id);
    return call;
  }
}
