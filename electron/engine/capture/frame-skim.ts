import { finding } from '../../../shared/capture/event-validate';
import {
  bytesAre,
  flatMembers,
  isPlainStringBody,
  Key,
  skimObject,
  spanIsEmptyArray,
  spanJson,
  strictNumber,
} from './line-skim';
import type { Span } from './line-skim';

/**
 * The indexer's fast path for the common line, a frame event as the engine writes it: what the index needs, read
 * from the line's bytes, and every field the event checks (event-validate.ts) checked here too, without JSON.parse
 * of the line or of its small objects. It is conservative: anything it is not sure of (an escape, a nested value, a
 * problem object, a duplicate key) returns undefined and the caller parses the line, which is exact and names what
 * is wrong. So a damaged field gets the same finding as through JSON.parse and the checks. What the index does not
 * read is only delimited, not parsed (the frame's text above all, and members it does not know): JSON damage there
 * (a bad escape, a raw control character) is found when the event is first read (CaptureFile.unreadable), as
 * before this fast path existed.
 */

export interface SkimmedFrame {
  conn: string;
  t: number;
  /** 1 station, 2 csms */
  sender: number;
  type: number;
  action: string | undefined;
  findings: number;
  codes: string[] | undefined;
  rttMs: number | undefined;
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const FRAME = latin1('"frame"');
const STATION = latin1('"station"');
const CSMS = latin1('"csms"');
const TRUE = latin1('true');
const FALSE = latin1('false');
const K_TYPE = latin1('type');
const K_ID = latin1('id');
const K_ACTION = latin1('action');
const K_ERROR_CODE = latin1('errorCode');
const K_PARTNER_SEQ = latin1('partnerSeq');
const K_RTT = latin1('rttMs');
/** Largest magnitude a Date holds (event-validate.ts refuses a t outside it). */
const MAX_T = 8.64e15;

export class FrameSkimmer {
  private readonly spans: (Span | undefined)[] = new Array<Span | undefined>(16);
  private readonly members_: number[] = [];
  private readonly strings = new SpanStrings();
  /** Filled by the last successful skim (one object, reused: read it before skimming again). */
  private readonly out: SkimmedFrame = {
    conn: '',
    t: 0,
    sender: 0,
    type: 0,
    action: undefined,
    findings: 0,
    codes: undefined,
    rttMs: undefined,
  };

  /**
   * With `keyAt` (not -1), the line is a version-2 line with its text verbatim, located and checked by the caller
   * (VerbatimSpan's keyAt and textBytes): only its head (the members before the text) is skimmed, and it must hold
   * the same length and no text of its own. Numbers, not the span: every line passes here, and one shape of
   * arguments keeps this function's optimized code.
   */
  skim(buf: Buffer, s: number, e: number, keyAt = -1, textBytes = 0): SkimmedFrame | undefined {
    const spans = this.spans;
    const verbatim = keyAt >= 0;
    if (!skimObject(buf, s, verbatim ? keyAt + 1 : e, spans, keyAt)) return undefined;
    const kind = spans[Key.Kind];
    if (!kind || !bytesAre(buf, kind.start, kind.end, FRAME)) return undefined;
    const senderSpan = spans[Key.Sender];
    if (!senderSpan) return undefined;
    const sender = bytesAre(buf, senderSpan.start, senderSpan.end, STATION)
      ? 1
      : bytesAre(buf, senderSpan.start, senderSpan.end, CSMS)
        ? 2
        : 0;
    if (sender === 0) return undefined;
    const seq = spans[Key.Seq];
    if (!seq || strictNumber(buf, seq.start, seq.end) === undefined) return undefined;
    const tSpan = spans[Key.T];
    const t = tSpan ? strictNumber(buf, tSpan.start, tSpan.end) : undefined;
    if (t === undefined || Math.abs(t) > MAX_T) return undefined;
    const connSpan = spans[Key.Conn];
    if (!connSpan || !this.plainString(buf, connSpan)) return undefined;
    const text = spans[Key.Text];
    if (verbatim) {
      const n = spans[Key.TextBytes];
      if (text || spans[Key.TextJson] || !n || strictNumber(buf, n.start, n.end) !== textBytes)
        return undefined;
    } else if (!text || buf[text.start] !== 0x22) return undefined;
    const mono = spans[Key.Mono];
    if (mono && strictNumber(buf, mono.start, mono.end) === undefined) return undefined;
    const binary = spans[Key.Binary];
    if (
      binary &&
      !bytesAre(buf, binary.start, binary.end, TRUE) &&
      !bytesAre(buf, binary.start, binary.end, FALSE)
    )
      return undefined;
    // A problem object is rare (a frame that is not OCPP-J): the line is parsed.
    if (spans[Key.Problem]) return undefined;
    const out = this.out;
    out.type = 0;
    out.action = undefined;
    out.rttMs = undefined;
    out.findings = 0;
    out.codes = undefined;
    const msg = spans[Key.Msg];
    if (msg && !this.members(buf, msg, false, out)) return undefined;
    const pair = spans[Key.Pair];
    if (pair && !this.members(buf, pair, true, out)) return undefined;
    const list = spans[Key.Findings];
    if (list && !spanIsEmptyArray(buf, list)) {
      const v = spanJson(buf, list);
      if (!Array.isArray(v)) return undefined;
      for (let i = 0; i < v.length; i++)
        if (finding(v[i], 'frame.findings', i) !== undefined) return undefined;
      out.findings = v.length;
      out.codes = v.map((f: { code: string }) => f.code);
    }
    out.conn = this.strings.get(buf, connSpan.start + 1, connSpan.end - 1);
    out.t = t;
    out.sender = sender;
    return out;
  }

  private plainString(buf: Buffer, span: Span): boolean {
    return (
      span.end - span.start >= 2 &&
      buf[span.start] === 0x22 &&
      buf[span.end - 1] === 0x22 &&
      isPlainStringBody(buf, span.start + 1, span.end - 1)
    );
  }

  /**
   * msg: { type: 2..6, id: string, action?: string, errorCode?: string }, and pair: { partnerSeq: number,
   * rttMs?: number }; other members may hold any simple value.
   */
  private members(buf: Buffer, span: Span, pair: boolean, out: SkimmedFrame): boolean {
    const m = this.members_;
    const n = flatMembers(buf, span, m);
    if (n < 0) return false;
    const keys = pair ? PAIR_KEYS : MSG_KEYS;
    let seen = 0;
    for (let j = 0; j < n; j++) {
      const bit = keyBit(buf, m[j * 4]!, m[j * 4 + 1]!, keys);
      if (bit === 0) continue;
      // JSON.parse keeps the last of duplicate keys: such a line is left to it.
      if (seen & bit) return false;
      seen |= bit;
      const vs = m[j * 4 + 2]!;
      const ve = m[j * 4 + 3]!;
      if (pair) {
        const v = strictNumber(buf, vs, ve);
        if (v === undefined) return false;
        if (bit === 2) out.rttMs = v;
      } else if (bit === 1) {
        const type = strictNumber(buf, vs, ve);
        if (type !== 2 && type !== 3 && type !== 4 && type !== 5 && type !== 6) return false;
        out.type = type;
      } else {
        if (buf[vs] !== 0x22) return false;
        if (bit === 4) out.action = this.strings.get(buf, vs + 1, ve - 1);
      }
    }
    // Required: type and id, or partnerSeq.
    return pair ? (seen & 1) === 1 : (seen & 3) === 3;
  }
}

const MSG_KEYS = [K_TYPE, K_ID, K_ACTION, K_ERROR_CODE];
const PAIR_KEYS = [K_PARTNER_SEQ, K_RTT];

/** The bit of the key at [ks, ke) in `keys` (1, 2, 4, ...), or 0 for any other key. */
function keyBit(buf: Buffer, ks: number, ke: number, keys: readonly Uint8Array[]): number {
  for (let i = 0; i < keys.length; i++) if (bytesAre(buf, ks, ke, keys[i]!)) return 1 << i;
  return 0;
}

/**
 * Strings read from line bytes, made once per distinct value: a capture names few connections and actions, each
 * on many lines. Looked up by a hash of the bytes, confirmed byte by byte; bounded (past the bound, strings are
 * made each time).
 */
class SpanStrings {
  private readonly table = new Map<number, { bytes: Uint8Array; value: string }[]>();
  private size = 0;

  get(buf: Buffer, s: number, e: number): string {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const list = this.table.get(h);
    if (list) for (const x of list) if (bytesAre(buf, s, e, x.bytes)) return x.value;
    const value = buf.toString('utf8', s, e);
    // Short values only, and few per hash: crafted colliding names must not turn each lookup into a long scan.
    if (this.size < 50_000 && e - s <= 256 && (!list || list.length < 4)) {
      const entry = { bytes: Uint8Array.from(buf.subarray(s, e)), value };
      if (list) list.push(entry);
      else this.table.set(h, [entry]);
      this.size++;
    }
    return value;
  }
}
