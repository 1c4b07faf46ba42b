import type { Finding } from './finding';
import type { FrameSummary, PairInfo } from './frame-summary';
import type { Sender } from './sender';
import { actionInfo } from './actions';
import { ERROR_CODES } from './error-codes';
import { parseFrame } from './frame';
import { integerNotationFindings } from './integer-notation';
import type { Frame, FrameProblem, ParseResult } from './frame-types';
import type { PairingTracker } from './pairing';
import { unknownActionFinding, validatePayload } from './schema-registry';
import type { OcppVersion } from './versions';

/**
 * Everything the engine needs to know about one frame, in one cheap call on the hot path: parse, direction check,
 * schema validation (a CALL or SEND by its action, a CALLRESULT by the action of the CALL it answers) and pairing.
 * The result is shaped for FrameEvent (msg, problem, findings, pair).
 */

export interface AnalyzeInput {
  text: string;
  sender: Sender;
  /** The connection's negotiated version; without it only framing and pairing are checked. */
  version?: OcppVersion;
  conn: string;
  /** seq and mono of the event this frame becomes (for pairing and round-trip times). */
  seq: number;
  mono: number;
  /** Shared per engine (or per capture being annotated); omit to skip pairing. */
  tracker?: PairingTracker;
  /** Schema validation; on by default. */
  validate?: boolean;
  /** parseFrame(text, version), when the caller parsed it already (the engine parses a call to answer it first). */
  parsed?: ParseResult | undefined;
  /** A request whose id its sender just made (see PairInput.freshId). */
  freshId?: boolean;
}

export interface FrameAnalysis {
  msg?: FrameSummary;
  problem?: FrameProblem;
  findings: Finding[];
  pair?: PairInfo;
  /** For a response: seq of the request it answers, so the engine can link the request to this frame. */
  requestSeq?: number;
  /** The parsed frame, when it parsed (the engine may need the payload, e.g. to auto-answer). */
  frame?: Frame;
}

const WHO: Record<Sender, string> = { station: 'the charging station', csms: 'the CSMS' };

function requestChecks(
  version: OcppVersion,
  frame: Frame & { action: string },
  sender: Sender,
  out: Finding[],
): boolean {
  const info = actionInfo(version, frame.action);
  if (!info) {
    out.push(unknownActionFinding(version, frame.action));
    return false;
  }
  if (info.sender !== 'both' && info.sender !== sender) {
    out.push({
      code: 'wrong-direction',
      severity: 'error',
      message: `${frame.action} is sent by ${WHO[info.sender]}, but here ${WHO[sender]} sent it`,
      errorCode: 'NotSupported',
    });
  }
  if (frame.type === 6 && !info.sendOnly) {
    out.push({
      code: 'send-not-allowed',
      severity: 'error',
      message: `${frame.action} is a request that expects an answer: it must be a CALL (2), not a SEND (6)`,
      errorCode: 'MessageTypeNotSupported',
    });
  } else if (frame.type === 2 && info.sendOnly) {
    out.push({
      code: 'call-for-send-only',
      severity: 'error',
      message: `${frame.action} is sent with SEND (6) and never answered, not as a CALL (2)`,
      errorCode: 'MessageTypeNotSupported',
    });
  }
  return true;
}

/** The message type a text that is not JSON starts with (`[2,"id",...` cut short), when it can be read. */
function leadingType(text: string): number | undefined {
  const m = /^\s*\[\s*(\d)\s*,/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The message type of a text that is not a valid frame, when it can be read (from its JSON, or how it starts). */
export function malformedType(text: string, problem: FrameProblem): unknown {
  const v = problem.value;
  return Array.isArray(v) ? v[0] : v === undefined ? leadingType(text) : undefined;
}

/**
 * A frame that does not parse but whose type and id can be read still takes part in pairing: a malformed answer
 * answers its request (the user sees "answered, but malformed" rather than a timeout later), and a malformed request
 * is a request its peer may answer (with a CALLERROR). Paired by type and id: no stand-in frame is built. The same
 * for every source, so an answered malformed CALL pairs live and imported alike.
 */
function malformed(input: AnalyzeInput, problem: FrameProblem): FrameAnalysis {
  const out: FrameAnalysis = { problem, findings: [] };
  const type = malformedType(input.text, problem);
  if (!input.tracker || problem.messageId === undefined || (type !== 2 && type !== 3 && type !== 4))
    return out;
  const p = input.tracker.pair({
    conn: input.conn,
    sender: input.sender,
    seq: input.seq,
    mono: input.mono,
    type,
    id: problem.messageId,
    action: '',
    version: input.version,
  });
  if (p.findings.length) out.findings.push(...p.findings);
  if (p.pair) out.pair = p.pair;
  if (p.requestSeq !== undefined) out.requestSeq = p.requestSeq;
  return out;
}

export function analyzeFrame(input: AnalyzeInput): FrameAnalysis {
  const { version, sender } = input;
  const parsed = input.parsed ?? parseFrame(input.text, version);
  if (!parsed.ok) return malformed(input, parsed.problem);
  const frame = parsed.frame;
  const findings: Finding[] = [];
  // A request's summary is built whole (its fields in the order they always had): no property added per frame.
  const msg: FrameSummary =
    frame.type === 2 || frame.type === 6
      ? { type: frame.type, id: frame.id, action: frame.action }
      : { type: frame.type, id: frame.id };
  const result: FrameAnalysis = { msg, findings, frame };
  const validate = input.validate !== false && version !== undefined;

  if (frame.type === 2 || frame.type === 6) {
    const known = version !== undefined && requestChecks(version, frame, sender, findings);
    if (validate && known) {
      // No merged array per frame: nearly every frame has no finding.
      const f = validatePayload(version, frame.action, 'request', frame.payload);
      if (f.length) findings.push(...f);
      const n = integerNotationFindings(version, frame.action, 'request', input.text);
      if (n.length) findings.push(...n);
    }
  } else if (frame.type === 4 || frame.type === 5) {
    msg.errorCode = frame.errorCode;
    if (version !== undefined && !ERROR_CODES[version].includes(frame.errorCode)) {
      const hint =
        version === '1.6' && frame.errorCode === 'OccurrenceConstraintViolation'
          ? ' (1.6 spells it OccurenceConstraintViolation)'
          : version !== '1.6' && frame.errorCode === 'OccurenceConstraintViolation'
            ? ' (that is the 1.6 spelling; 2.x uses OccurrenceConstraintViolation)'
            : version !== '1.6' && frame.errorCode === 'FormationViolation'
              ? ' (that is the 1.6 name; 2.x uses FormatViolation)'
              : '';
      findings.push({
        code: 'unknown-error-code',
        severity: 'warning',
        message: `"${frame.errorCode}" is not an OCPP ${version} error code${hint}`,
      });
    }
  }

  if (input.tracker) {
    const p = input.tracker.pair({
      conn: input.conn,
      sender,
      seq: input.seq,
      mono: input.mono,
      type: frame.type,
      id: frame.id,
      action: msg.action ?? '',
      version,
      freshId: input.freshId === true,
    });
    if (p.findings.length) findings.push(...p.findings);
    if (p.pair) result.pair = p.pair;
    if (p.requestSeq !== undefined) result.requestSeq = p.requestSeq;
    // A malformed request has no action ('') to lend its answer.
    if (p.action && msg.action === undefined) msg.action = p.action;
    if (
      frame.type === 3 &&
      validate &&
      p.action !== undefined &&
      actionInfo(version, p.action) !== undefined &&
      p.findings.every((f) => f.code !== 'response-type-mismatch')
    ) {
      // No merged array per frame: nearly every frame has no finding.
      const f = validatePayload(version, p.action, 'response', frame.payload);
      if (f.length) findings.push(...f);
      const n = integerNotationFindings(version, p.action, 'response', input.text);
      if (n.length) findings.push(...n);
    }
  }
  return result;
}
