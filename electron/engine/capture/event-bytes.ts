import { isUtf8 } from 'node:buffer';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { LineResult } from '../../../shared/capture/format';
import {
  NOT_UTF8,
  parseEventLine,
  VERBATIM_VERSION,
  verbatimEvent,
  verbatimProblem,
} from '../../../shared/capture/format';
import type { VerbatimResult } from '../../../shared/capture/verbatim-line';
import { isVerbatimLine, verbatimSpan } from '../../../shared/capture/verbatim-line';

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
