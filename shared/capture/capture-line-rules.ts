import type { Finding, NoteEvent, ScopeEvent } from './events';
import type { CaptureHeader } from './format';
import { fileFinding, parseEventLine, parseHeaderLine } from './format';

/**
 * The rules both capture readers apply to a file's lines (the file reader, CaptureFile, and the in-memory one that
 * reads a gzipped capture, decodeCaptureLines): the same bytes read the same whichever reads them. Each reader cuts
 * its lines its own way (streamed chunks, or a buffer); what a line means and what is said about it is here.
 */

/** The most problem lines a file lists one by one; the rest are counted (a file of millions of bad lines). */
export const MAX_FILE_FINDINGS = 100;

/**
 * The longest line a reader takes, in bytes before its newline: a longer one is skipped unread (`line-too-long`), so
 * one line cannot hold the memory of the file reader's buffer, or exceed what one string can hold.
 */
export const MAX_LINE = 64 << 20;

/** The problem of a line of MAX_LINE bytes or more (reported at its start, the line skipped). */
export function lineTooLong(max = MAX_LINE): [code: string, reason: string] {
  return ['line-too-long', `A line is longer than ${max} bytes; it was skipped.`];
}

/** A file's problem lines: the first MAX_FILE_FINDINGS, worded without the line's content; the others counted. */
export class FileProblems {
  readonly listed: Finding[] = [];
  dropped = 0;

  add(code: string, reason: string, line: number, byteOffset: number): void {
    if (this.listed.length >= MAX_FILE_FINDINGS) this.dropped++;
    else this.listed.push(lineFinding(code, reason, line, byteOffset));
  }

  /** `n` problems past the listed ones, only counted (the caller kept no more of them than can be listed). */
  addUnlisted(n: number): void {
    this.dropped += n;
  }

  /** The listed ones, and a line saying how many more there were. */
  all(): Finding[] {
    const findings = [...this.listed];
    if (this.dropped > 0)
      findings.push({
        code: 'capture-more-problems',
        severity: 'warning',
        message: `${this.dropped} more problem line(s) not listed.`,
      });
    return findings;
  }
}

/** A finding about line `line` of a file, worded without the line's content. */
export function lineFinding(code: string, reason: string, line: number, byteOffset: number): Finding {
  return fileFinding(code, withoutContent(code, reason), line, byteOffset);
}

/**
 * JSON.parse messages (and an unknown kind) quote the line itself: a finding about a file says where (line, byte),
 * never what, so a file that is not a capture cannot be read back through its error messages.
 */
function withoutContent(code: string, reason: string): string {
  const truncated = code === 'truncated-tail';
  const plain = /not JSON \(/.test(reason)
    ? reason.startsWith('The first line')
      ? 'The first line is not JSON.'
      : 'The line is not JSON.'
    : /Unknown event kind/.test(reason)
      ? 'Unknown event kind.'
      : undefined;
  if (plain === undefined) return reason;
  if (truncated) return `The file ends inside an event (${plain}); everything before it is kept.`;
  return reason.endsWith(' The line was skipped.') ? `${plain} The line was skipped.` : plain;
}

/** A leading UTF-8 byte order mark (editors add one): passed over, byte offsets still count from the file's start. */
export function bomLength(bytes: Uint8Array, s: number, e: number): number {
  return e - s >= 3 && bytes[s] === 0xef && bytes[s + 1] === 0xbb && bytes[s + 2] === 0xbf ? 3 : 0;
}

/** What a blank line may hold beside nothing: JSON's whitespace but the newline that ends the line. */
function isLineSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * Content with nothing to read: empty, or only a leading BOM and whitespace (spaces, tabs, CRs, newlines). Not "a
 * capture of 0 events": a recording always starts with its header. `atStart`: the bytes begin the content (a BOM is
 * looked for only there).
 */
export function isEmptyContent(bytes: Uint8Array, atStart = true): boolean {
  for (let i = atStart ? bomLength(bytes, 0, bytes.length) : 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x0a && !isLineSpace(c)) return false;
  }
  return true;
}

/** A line of JSON whitespace only (spaces, tabs, a CR) is passed over, as an empty one. */
export function isBlankText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isLineSpace(text.charCodeAt(i))) return false;
  return true;
}

/** isBlankText for the bytes [s, e). */
export function isBlankBytes(bytes: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isLineSpace(bytes[i])) return false;
  return true;
}

/**
 * The header line of a capture's text, found as the readers find it: past a leading BOM (when `atStart`: the text
 * begins the file) and the blank lines before it. `line` is its text without its newline and one trailing CR, `end`
 * the index of its newline (the text's length when it has none). Undefined when every line of the text is blank:
 * the header, if there is one, comes after it.
 */
export function findHeaderLine(text: string, atStart = true): { line: string; end: number } | undefined {
  let pos = atStart && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line =
      text.charCodeAt(end - 1) === 0x0d && end > pos ? text.slice(pos, end - 1) : text.slice(pos, end);
    if (!isBlankText(line)) return { line, end };
    pos = end + 1;
  }
  return undefined;
}

/**
 * The first line (not blank, its BOM passed over): the header, or else an event (a file of bare events another tool
 * wrote: read, with a problem that says so), or else the header's problem (the lines after it are read all the same,
 * as events of a version-1 file).
 */
export type FirstLine =
  | { header: CaptureHeader }
  | { event: ScopeEvent; problem: [code: string, reason: string] }
  | { problem: [code: string, reason: string] };

export function readFirstLine(text: string): FirstLine {
  const h = parseHeaderLine(text);
  if (h.ok) return { header: h.value };
  const asEvent = parseEventLine(text);
  if (!asEvent.ok) return { problem: [h.code, h.reason] };
  return {
    event: asEvent.value,
    problem: ['no-header', 'The file has no capture header; reading it as bare events.'],
  };
}

/** The problem of an event line that does not read: the end of a file cut short, or a line skipped. */
export function eventLineProblem(
  r: { code: string; reason: string },
  atEof: boolean,
): [code: string, reason: string] {
  return atEof
    ? ['truncated-tail', `The file ends inside an event (${r.reason}); everything before it is kept.`]
    : [r.code, `${r.reason} The line was skipped.`];
}

/**
 * A line the file reader indexed by its frame skim (it looks like a frame) that does not parse when read (a bad
 * escape in its text, bytes that are not UTF-8): it stays in the list as a note saying where and why, the `index`th
 * event, so pages and counts stay consistent.
 */
export function unreadableNote(index: number, t: number, conn: string, finding: Finding): NoteEvent {
  return {
    kind: 'note',
    seq: -(index + 1),
    t,
    mono: 0,
    conn,
    source: 'engine',
    text: finding.message,
    findings: [finding],
  };
}
