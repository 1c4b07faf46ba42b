import { isUtf8 } from 'node:buffer';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { LineResult } from '../../../shared/capture/format';
import type { CaptureLines, DecodedCapture } from '../../../shared/capture/capture-decode';
import { decodeCaptureLines } from '../../../shared/capture/capture-decode';
import { bomLength, MAX_LINE } from '../../../shared/capture/capture-line-rules';
import {
  NOT_UTF8,
  parseEventLine,
  VERBATIM_VERSION,
  verbatimEvent,
  verbatimProblem,
} from '../../../shared/capture/format';
import type { VerbatimResult } from '../../../shared/capture/verbatim-line';
import { isVerbatimLine, verbatimSpan } from '../../../shared/capture/verbatim-line';
import { FrameSkimmer } from './frame-skim';

/**
 * An event line read from the bytes of a file, [s, e) without its newline: a version-2 line with its frame text
 * verbatim is cut by byte offsets (its text sliced out, never unescaped or searched for); any other line is decoded
 * and parsed as the codec does (format.ts).
 */
export function parseEventBytes(
  buf: Buffer,
  s: number,
  e: number,
  version: number,
  /** The line already decoded by the caller, if it was: a line that is not verbatim is parsed from it. */
  decoded?: string,
): LineResult<ScopeEvent> {
  if (e > s && buf[e - 1] === 0x0d) e--;
  const span = verbatimLineSpan(buf, s, e, version);
  if (span === undefined) return parseEventLine(decoded ?? buf.toString('utf8', s, e), version);
  if (!span.ok) return verbatimProblem(span.reason);
  return verbatimEvent(
    buf.toString('utf8', s, span.keyAt) + '}',
    buf.toString('utf8', span.textStart, span.textEnd),
    span.textBytes,
  );
}

/**
 * The parts of a verbatim line; undefined for a line that is not one (a version-1 line, or any line of a version-1
 * file). With `utf8`, checked down to its text's UTF-8 (a length that lies can cut a character, and bytes that are
 * not UTF-8 would read back as U+FFFD: neither is the text that crossed the wire). The index leaves that check to
 * the first read of the line (it reads no text), as it leaves a bad escape in a version-1 text.
 */
export function verbatimLineSpan(
  buf: Buffer,
  s: number,
  e: number,
  version: number,
  utf8 = true,
): VerbatimResult | undefined {
  if (version < VERBATIM_VERSION || !isVerbatimLine(buf, s, e)) return undefined;
  const span = verbatimSpan(buf, s, e);
  if (!span.ok || !utf8) return span;
  if (!isUtf8(buf.subarray(span.textStart, span.textEnd))) return { ok: false, reason: NOT_UTF8 };
  return span;
}

/**
 * A whole capture held in memory, read as the file reader reads it: each line cut from the bytes, a frame line's
 * text verbatim checked as bytes (its UTF-8, its length), any other line decoded as text. A leading BOM is passed
 * over, byte offsets counted from the first byte (as the file reader does).
 */
export function decodeCaptureBytes(data: Uint8Array, maxLine = MAX_LINE): DecodedCapture {
  return decodeCaptureLines(
    new ByteLines(Buffer.from(data.buffer, data.byteOffset, data.byteLength), maxLine),
  );
}

class ByteLines implements CaptureLines {
  startByte = 0;
  ended = false;
  tooLong = false;
  private pos = 0;
  /** The line's content starts here: its start, or past the file's BOM. */
  private from = 0;
  /** The line is [from, end) of the content, its newline left out of end. */
  private end = 0;
  private decoded: string | undefined;
  /** Made for the first line that does not parse (see skimmed). */
  private skimmer: FrameSkimmer | undefined;

  constructor(
    private readonly buf: Buffer,
    readonly maxLine: number,
  ) {}

  next(): boolean {
    const { buf, pos } = this;
    if (pos >= buf.length) return false;
    const nl = buf.indexOf(0x0a, pos);
    this.ended = nl >= 0;
    this.end = nl < 0 ? buf.length : nl;
    this.startByte = pos;
    // Counted as the file reader counts: the bytes before the newline, a CR (and the file's BOM) included.
    this.tooLong = this.end - pos >= this.maxLine;
    this.from = pos === 0 ? bomLength(buf, 0, this.end) : pos;
    this.pos = this.end + 1;
    this.decoded = undefined;
    return true;
  }

  text(): string {
    const s = this.from;
    const e = this.end > s && this.buf[this.end - 1] === 0x0d ? this.end - 1 : this.end;
    return (this.decoded ??= this.buf.toString('utf8', s, e));
  }

  event(version: number): LineResult<ScopeEvent> {
    // Its CR is left to parseEventBytes: one is taken off, as from the text.
    return parseEventBytes(this.buf, this.from, this.end, version, this.text());
  }

  skimmed(version: number): { t: number; conn: string } | undefined {
    const { buf, from: s } = this;
    const e = this.end > s && buf[this.end - 1] === 0x0d ? this.end - 1 : this.end;
    // As CaptureFile.indexLine: a verbatim line damaged where it is cut is not indexed; any other is skimmed.
    const verbatim = verbatimLineSpan(buf, s, e, version, false);
    if (verbatim && !verbatim.ok) return undefined;
    const skimmer = (this.skimmer ??= new FrameSkimmer());
    const f = verbatim
      ? skimmer.skim(buf, s, e, verbatim.keyAt, verbatim.textBytes)
      : skimmer.skim(buf, s, e);
    return f && { t: f.t, conn: f.conn };
  }
}
