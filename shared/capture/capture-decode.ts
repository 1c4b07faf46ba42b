import type { ScopeEvent } from './events';
import type { CaptureHeader, LineResult } from './format';
import {
  eventLineProblem,
  FileProblems,
  isBlankText,
  lineFinding,
  lineTooLong,
  MAX_FILE_FINDINGS,
  readFirstLine,
  unreadableNote,
} from './capture-line-rules';
import type { Finding } from './events';

/**
 * A capture held in memory, cut into lines by the caller (the engine's in-memory reader, decodeCaptureBytes in
 * electron/engine/capture/event-bytes.ts, which reads a frame line's text from its bytes as the file reader does).
 * One line at a time, after `next()`.
 */
export interface CaptureLines {
  /** Moves to the next line; false past the last. */
  next(): boolean;
  /** The byte offset of the line's start (from the file's first byte, a BOM included). */
  readonly startByte: number;
  /** False for a last line with no newline after it. */
  readonly ended: boolean;
  /** The line is maxLine bytes or more: it is skipped unread (its text, event and skim are not asked for). */
  readonly tooLong: boolean;
  /** The limit tooLong is set by (MAX_LINE unless a test lowers it). */
  readonly maxLine: number;
  /** The line decoded, without its newline and one trailing CR (and, for the first, a BOM). */
  text(): string;
  /** The line as an event of a file of `version`. */
  event(version: number): LineResult<ScopeEvent>;
  /**
   * For a line that does not parse: the time and connection the file reader's frame skim reads in it, if it does
   * (the file reader indexes such a line, and keeps it as a note when it finds it unreadable: see unreadableNote).
   */
  skimmed(version: number): { t: number; conn: string } | undefined;
}

export interface DecodedCapture {
  header?: CaptureHeader;
  events: ScopeEvent[];
  findings: Finding[];
}

/** A capture's lines read by the rules of capture-line-rules.ts, as CaptureFile applies them to a file. */
export function decodeCaptureLines(lines: CaptureLines): DecodedCapture {
  const events: ScopeEvent[] = [];
  const problems = new FileProblems();
  const unreadable: [code: string, reason: string, line: number, at: number][] = [];
  let header: CaptureHeader | undefined;
  let line = 0;
  let firstLineSeen = false;
  let unlisted = 0;
  while (lines.next()) {
    line++;
    if (lines.tooLong) {
      problems.add(...lineTooLong(lines.maxLine), line, lines.startByte);
      continue;
    }
    const raw = lines.text();
    if (isBlankText(raw)) continue;
    // The header is the first line that is not blank (blank lines before it are passed over, as anywhere).
    if (!firstLineSeen) {
      firstLineSeen = true;
      const first = readFirstLine(raw);
      if ('header' in first) {
        header = first.header;
        continue;
      }
      problems.add(first.problem[0], first.problem[1], line, lines.startByte);
      if ('event' in first) events.push(first.event);
      continue;
    }
    const version = header?.version ?? 1;
    const r = lines.event(version);
    if (r.ok) {
      events.push(r.value);
      continue;
    }
    const skim = lines.skimmed(version);
    if (skim) {
      // As the file reader: indexed, found unreadable when read (its finding comes after those of the indexing).
      const at = lines.startByte;
      events.push(unreadableNote(events.length, skim.t, skim.conn, lineFinding(r.code, r.reason, line, at)));
      // No more kept than can be listed (a file of millions of such lines): the rest are counted.
      if (unreadable.length < MAX_FILE_FINDINGS)
        unreadable.push([r.code, `${r.reason} The line was skipped.`, line, at]);
      else unlisted++;
      continue;
    }
    const [code, reason] = eventLineProblem(r, !lines.ended);
    problems.add(code, reason, line, lines.startByte);
  }
  for (const [code, reason, at, offset] of unreadable) problems.add(code, reason, at, offset);
  problems.addUnlisted(unlisted);
  const findings = problems.all();
  return header ? { header, events, findings } : { events, findings };
}
