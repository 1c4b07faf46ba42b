import type { Finding, FrameSummary, PairInfo, Sender } from '../../shared/capture/events';
import { analyzeFrame } from '../../shared/ocpp/analyze';
import type { Frame, FrameProblem } from '../../shared/ocpp/frame-types';
import { validatePayload } from '../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../shared/ocpp/versions';

/** A CALL waiting for its answer, from one sender. */
export interface PendingCall {
  seq: number;
  mono: number;
  /** Empty for a malformed request we answered with a CALLERROR. */
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
 * Parses, validates and pairs the frames of one connection. Parsing, direction and request validation come from
 * the protocol core (analyzeFrame); pairing is kept here, per connection, because the engine also needs it for
 * timeouts, waiting callers and held calls. Each sender has its own id space: a response from one side answers a
 * call of the other. Maps are created on first use: thousands of idle chargers should cost little.
 */
export class FrameAnalyzer {
  private pendingBy: Partial<Record<Sender, Map<string, PendingCall>>> = {};
  private timedOutBy: Partial<Record<Sender, Map<string, PendingCall>>> = {};

  constructor(public version: OcppVersion | undefined) {}

  analyze(text: string, sender: Sender, mono: number): Analysis {
    const r = analyzeFrame({
      text,
      sender,
      conn: '',
      seq: 0,
      mono,
      ...(this.version ? { version: this.version } : {}),
    });
    const frame = r.frame;
    if (!frame || !r.msg) {
      const p = r.problem;
      if (!p) return { findings: r.findings };
      return {
        problem: p,
        findings: [
          { code: `frame-${p.code}`, severity: 'error', message: p.message, errorCode: p.errorCode },
          ...r.findings,
        ],
      };
    }
    const findings = r.findings;
    const msg = r.msg;
    const a: Analysis = { frame, findings, msg };
    const other: Sender = sender === 'station' ? 'csms' : 'station';
    const v = this.version;
    if (frame.type === 2) {
      const mine = this.pendingBy[sender];
      if (mine?.has(frame.id))
        findings.push({
          code: 'duplicate-message-id',
          severity: 'warning',
          message: `Message id "${frame.id}" is already used by a CALL that is still waiting for its answer.`,
        });
      else if (mine && mine.size > 0)
        findings.push({
          code: 'call-while-in-flight',
          severity: 'warning',
          message: `A CALL was sent while ${mine.size} earlier CALL(s) from the same side were unanswered (OCPP-J allows one at a time).`,
        });
    } else if (frame.type === 3 || frame.type === 4) {
      const call = this.take(other, frame.id);
      if (call) {
        if (call.action) msg.action = call.action;
        a.answers = { ...call, id: frame.id };
        a.pair = { partnerSeq: call.seq, rttMs: Math.max(0, mono - call.mono) };
        if (frame.type === 3 && v && call.action)
          findings.push(...validatePayload(v, call.action, 'response', frame.payload));
      } else {
        const late = this.timedOutBy[other]?.get(frame.id);
        if (late) {
          this.timedOutBy[other]?.delete(frame.id);
          if (late.action) msg.action = late.action;
          a.pair = { partnerSeq: late.seq, rttMs: Math.max(0, mono - late.mono) };
          findings.push({
            code: 'late-response',
            severity: 'warning',
            message: `This answer to ${late.action || 'a call'} came after the call had timed out.`,
          });
          if (frame.type === 3 && v && late.action)
            findings.push(...validatePayload(v, late.action, 'response', frame.payload));
        } else
          findings.push({
            code: 'unknown-message-id',
            severity: 'warning',
            message: `No CALL with id "${frame.id}" is waiting for an answer.`,
          });
      }
    }
    return a;
  }

  /** Registers a CALL once its event has a seq. */
  track(sender: Sender, id: string, call: PendingCall): void {
    (this.pendingBy[sender] ??= new Map()).set(id, call);
  }

  /** Pairs an answer we built ourselves for `id` (auto-answer): no parsing or validation needed. */
  answerOwn(sender: Sender, id: string, mono: number): { call: PendingCall; pair: PairInfo } | undefined {
    const other: Sender = sender === 'station' ? 'csms' : 'station';
    const call = this.take(other, id);
    if (!call) return undefined;
    return { call, pair: { partnerSeq: call.seq, rttMs: Math.max(0, mono - call.mono) } };
  }

  inFlight(sender: Sender): number {
    return this.pendingBy[sender]?.size ?? 0;
  }

  markTimedOut(sender: Sender, id: string): PendingCall | undefined {
    const call = this.take(sender, id);
    if (!call) return undefined;
    const map = (this.timedOutBy[sender] ??= new Map());
    map.set(id, call);
    if (map.size > MAX_TIMED_OUT) map.delete(map.keys().next().value as string);
    return call;
  }

  clear(): void {
    this.pendingBy = {};
  }

  private take(sender: Sender, id: string): PendingCall | undefined {
    const map = this.pendingBy[sender];
    const call = map?.get(id);
    if (call) map!.delete(id);
    return call;
  }
}
