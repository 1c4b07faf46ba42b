import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { EventPage, EventQuery, SourceInfo } from '../../../shared/api';
import type { ConnectionInfo, ScopeEvent, ScopeEventKind, Sender } from '../../../shared/capture/events';
import type { CaptureHeader } from '../../../shared/capture/format';
import { verbatimProblem } from '../../../shared/capture/format';
import {
  bomLength,
  eventLineProblem,
  FileProblems,
  isBlankBytes,
  lineFinding,
  lineTooLong,
  MAX_LINE,
  readFirstLine,
  unreadableNote,
} from '../../../shared/capture/capture-line-rules';
import type { FilterExpr, FilterFacts } from '../../../shared/capture/filter';
import { evalFilter } from '../../../shared/capture/filter';
import { compileQuery, eventFacts, isEmptyQuery } from '../../../shared/capture/query';
import type { EventSource, SourceStats } from './event-source';
import { parseEventBytes, verbatimLineSpan } from './event-bytes';
import { FrameSkimmer } from './frame-skim';
import { PrefetchReader } from './prefetch-reader';
import { readAt } from './read-fully';
import { metaOf, StatsBuilder } from './stats-builder';

/**
 * A capture file opened by streaming. The index keeps, per event, its byte offset and length plus a few small
 * columns (connection, action, type, sender, findings, time): about 30 bytes an event, so a 1,000,000-event file
 * indexes in ~30 MB whatever its size. Pages are read back from disk by offset. The first events can be queried as
 * soon as open() resolves; indexing goes on in the background (whenIndexed()).
 */

const CHUNK = 1 << 20;
/** The file is read this much at a time, one read ahead of the indexing (see PrefetchReader). */
const READ_AHEAD = 4 << 20;
const LINE_MARK_BYTES = 16 << 10;
const MAX_REMEMBERED_LINES = 100_000;

const KIND_CODE: Record<string, number> = {
  opened: 1,
  frame: 2,
  ping: 3,
  pong: 4,
  closed: 5,
  error: 6,
  note: 7,
};
const SENDER_CODE: Record<string, number> = { station: 1, csms: 2 };
const KIND_NAME: ScopeEventKind[] = [];
for (const [name, code] of Object.entries(KIND_CODE)) KIND_NAME[code] = name as ScopeEventKind;
const SENDER_NAME: (Sender | undefined)[] = [undefined, 'station', 'csms'];

class Columns {
  n = 0;
  offset = new Float64Array(1024);
  length = new Uint32Array(1024);
  t = new Float64Array(1024);
  conn = new Uint32Array(1024);
  action = new Uint32Array(1024); // 0 = none, else actionNames[i - 1]
  kind = new Uint8Array(1024);
  type = new Uint8Array(1024);
  sender = new Uint8Array(1024);
  findings = new Uint8Array(1024); // capped at 255

  push(
    offset: number,
    length: number,
    t: number,
    conn: number,
    action: number,
    kind: number,
    type: number,
    sender: number,
    findings: number,
  ): void {
    if (this.n === this.offset.length) this.grow();
    const i = this.n++;
    this.offset[i] = offset;
    this.length[i] = length;
    this.t[i] = t;
    this.conn[i] = conn;
    this.action[i] = action;
    this.kind[i] = kind;
    this.type[i] = type;
    this.sender[i] = sender;
    this.findings[i] = Math.min(255, findings);
  }

  private grow(): void {
    const cap = this.offset.length * 2;
    const g = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.offset = g(this.offset, Float64Array);
    this.length = g(this.length, Uint32Array);
    this.t = g(this.t, Float64Array);
    this.conn = g(this.conn, Uint32Array);
    this.action = g(this.action, Uint32Array);
    this.kind = g(this.kind, Uint8Array);
    this.type = g(this.type, Uint8Array);
    this.sender = g(this.sender, Uint8Array);
    this.findings = g(this.findings, Uint8Array);
  }
}

export interface CaptureOpenOptions {
  id?: string;
  /** Called as indexing progresses (about every chunk) and once at the end. */
  onProgress?: (info: SourceInfo) => void;
}

let nextId = 1;

export class CaptureFile implements EventSource {
  readonly kind = 'capture' as const;
  readonly id: string;
  readonly name: string;
  header: CaptureHeader | undefined;
  private readonly cols = new Columns();
  private readonly stats_ = new StatsBuilder();
  private readonly connIds = new Map<string, number>();
  private readonly connNames: string[] = [];
  private readonly connInfos = new Map<string, ConnectionInfo>();
  private readonly actionIds = new Map<string, number>();
  private readonly actionNames: string[] = [];
  private readonly problems = new FileProblems();
  private readonly skimmer = new FrameSkimmer();
  private readonly reported = new Set<number>();
  /**
   * Line-number marks taken while indexing, one every LINE_MARK_BYTES of the file: (offset of a line start, lines
   * before it). A damaged line's number is then counted from the mark before it, not from the start of the file
   * (which made a file of many damaged lines quadratic to read), and remembered once counted.
   */
  private readonly markOffsets: number[] = [0];
  private readonly markLines: number[] = [0];
  private readonly lineNumbers = new Map<number, number>();
  private lastLine: { offset: number; line: number } | undefined;
  /** Whether the first line that is not blank (the header, or what stands in its place) was read. */
  private firstLineSeen = false;
  private indexing = true;
  private done: Promise<void>;
  private closed = false;
  private queryCache: { key: string; upto: number; matches: Uint32Array; n: number } | undefined;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    options: CaptureOpenOptions,
  ) {
    this.id = options.id ?? `capture-${nextId++}`;
    this.name = basename(path);
    this.done = Promise.resolve();
  }

  /** Opens and starts indexing; resolves after the first chunk is indexed, so the first page is available at once. */
  static async open(path: string, options: CaptureOpenOptions = {}): Promise<CaptureFile> {
    const fh = await open(path, 'r');
    const file = new CaptureFile(fh, path, options);
    let firstChunk!: () => void;
    const first = new Promise<void>((r) => (firstChunk = r));
    file.done = file
      .index(firstChunk, options.onProgress)
      // A read error (or a bug) ends indexing with a finding: never an unhandled rejection, the events so far stay.
      .catch((e: unknown) =>
        file.problem('read-failed', `Reading stopped: ${(e as Error)?.message ?? String(e)}`, 0, 0),
      )
      .finally(() => {
        file.indexing = false;
        firstChunk();
        options.onProgress?.(file.info());
      });
    await first;
    return file;
  }

  info(): SourceInfo {
    const findings = this.problems.all();
    return {
      id: this.id,
      kind: 'capture',
      name: this.name,
      events: this.cols.n,
      indexing: this.indexing,
      findings,
    };
  }

  stats(): SourceStats {
    return this.stats_.stats();
  }

  connections(): ConnectionInfo[] {
    return [...this.connInfos.values()];
  }

  whenIndexed(): Promise<void> {
    return this.done;
  }

  /** The file's format version (1 for a file without a header: bare events another tool wrote). */
  private version(): number {
    return this.header?.version ?? 1;
  }

  private problem(code: string, reason: string, line: number, offset: number): void {
    this.problems.add(code, reason, line, offset);
  }

  private addConnection(info: ConnectionInfo): void {
    if (typeof info?.id !== 'string') return;
    this.connInfos.set(info.id, info);
    this.stats_.connection(info);
  }

  private connId(conn: string): number {
    let id = this.connIds.get(conn);
    if (id === undefined) {
      id = this.connNames.length;
      this.connNames.push(conn);
      this.connIds.set(conn, id);
    }
    return id;
  }

  private actionId(action: string | undefined): number {
    if (action === undefined) return 0;
    let id = this.actionIds.get(action);
    if (id === undefined) {
      this.actionNames.push(action);
      id = this.actionNames.length;
      this.actionIds.set(action, id);
    }
    return id;
  }

  private async index(firstChunk: () => void, onProgress?: (info: SourceInfo) => void): Promise<void> {
    const reader = new PrefetchReader(this.fh, READ_AHEAD);
    try {
      await this.indexFrom(reader, firstChunk, onProgress);
    } finally {
      await reader.stop();
    }
  }

  private async indexFrom(
    reader: PrefetchReader,
    firstChunk: () => void,
    onProgress?: (info: SourceInfo) => void,
  ): Promise<void> {
    let buf = Buffer.allocUnsafe(CHUNK);
    let have = 0; // bytes in buf
    let bufFileOffset = 0; // file offset of buf[0]
    let line = 0;
    let eof = false;
    let skippingLongLine = false;
    while (!eof && !this.closed) {
      if (have === buf.length) {
        if (buf.length >= MAX_LINE) {
          // Once a line, however many buffers it fills.
          if (!skippingLongLine) this.problem(...lineTooLong(), line + 1, bufFileOffset);
          skippingLongLine = true;
          bufFileOffset += have;
          have = 0;
        } else {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        }
      }
      // The partial line kept from the last read has no newline: search only what this read added (a long line
      // read in many chunks is scanned once, not once per chunk).
      let searched = have;
      const bytesRead = await reader.read(buf, have, buf.length - have);
      if (bytesRead === 0) eof = true;
      have += bytesRead;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, Math.max(start, searched));
        searched = 0;
        if (nl < 0 || nl >= have) break;
        const lineStart = bufFileOffset + start;
        if (lineStart - this.markOffsets[this.markOffsets.length - 1]! >= LINE_MARK_BYTES) {
          this.markOffsets.push(lineStart);
          this.markLines.push(line);
        }
        if (skippingLongLine) {
          skippingLongLine = false;
          line++;
        } else {
          line++;
          this.indexLine(buf, start, nl, bufFileOffset + start, line, false);
        }
        start = nl + 1;
      }
      if (eof && start < have && !skippingLongLine) {
        line++;
        this.indexLine(buf, start, have, bufFileOffset + start, line, true);
        start = have;
      }
      // Keep the partial last line at the start of the buffer.
      if (start > 0) {
        buf.copy(buf, 0, start, have);
        bufFileOffset += start;
        have -= start;
      }
      this.queryCache = undefined;
      firstChunk();
      onProgress?.(this.info());
    }
  }

  private indexLine(
    buf: Buffer,
    s: number,
    e: number,
    lineStart: number,
    line: number,
    atEof: boolean,
  ): void {
    let end = e;
    if (end > s && buf[end - 1] === 0x0d) end--;
    // The first line's BOM is passed over; findings still say where the line starts (byte 0).
    let fileOffset = lineStart;
    if (line === 1) {
      const bom = bomLength(buf, s, end);
      s += bom;
      fileOffset += bom;
    }
    if (end === s) return;
    const length = e - s;
    // The header is the first line that is not blank (blank lines before it are passed over, as anywhere).
    if (!this.firstLineSeen) {
      if (isBlankBytes(buf, s, end)) return;
      this.firstLineSeen = true;
      const first = readFirstLine(buf.toString('utf8', s, end));
      if ('header' in first) {
        this.header = first.header;
        for (const c of first.header.connections) this.addConnection(c);
        return;
      }
      this.problem(first.problem[0], first.problem[1], line, lineStart);
      // A file of bare events (no header) still opens, its first line read as one below.
      if (!('event' in first)) return;
    }
    const version = this.version();
    // A verbatim frame line (version 2) found damaged where it is cut (a length that lies, a line cut short) is
    // skipped here with its reason: read whole, it would only say the same. Its text's UTF-8 is checked when it is
    // first read (CaptureFile.unreadable), like a bad escape in a version-1 text.
    const verbatim = verbatimLineSpan(buf, s, end, version, false);
    if (verbatim && !verbatim.ok) {
      const [code, reason] = eventLineProblem(verbatimProblem(verbatim.reason), atEof);
      this.problem(code, reason, line, lineStart);
      return;
    }
    // Fast path: a frame line, skimmed without materializing its text (see frame-skim.ts).
    const f = verbatim
      ? this.skimmer.skim(buf, s, end, verbatim.keyAt, verbatim.textBytes)
      : this.skimmer.skim(buf, s, end);
    if (f) {
      this.cols.push(
        fileOffset,
        length,
        f.t,
        this.connId(f.conn),
        this.actionId(f.action),
        2,
        f.type,
        f.sender,
        f.findings,
      );
      this.stats_.add({
        kind: 'frame',
        conn: f.conn,
        t: f.t,
        action: f.action,
        findings: f.findings,
        findingCodes: f.codes,
        rttMs: f.rttMs,
      });
      return;
    }
    const r = parseEventBytes(buf, s, end, version);
    if (!r.ok) {
      // Looked at only here: a line of spaces is passed over as an empty one, at no cost to the lines that read.
      if (isBlankBytes(buf, s, end)) return;
      const [code, reason] = eventLineProblem(r, atEof);
      this.problem(code, reason, line, lineStart);
      return;
    }
    const ev = r.value;
    if (ev.kind === 'opened') this.addConnection(ev.connection);
    const m = metaOf(ev);
    this.cols.push(
      fileOffset,
      length,
      ev.t,
      this.connId(ev.conn),
      this.actionId(m.action),
      KIND_CODE[ev.kind]!,
      ev.kind === 'frame' ? (ev.msg?.type ?? 0) : 0,
      ev.kind === 'frame' || ev.kind === 'ping' || ev.kind === 'pong' ? SENDER_CODE[ev.sender]! : 0,
      m.findings,
    );
    this.stats_.add(m);
  }

  /**
   * The query from the columns alone: true or false, or undefined where a term needs the event itself (free text,
   * finding codes or severities), which is then read and asked again.
   */
  private columnMatcher(expr: FilterExpr): (i: number, text?: FilterFacts['text']) => boolean | undefined {
    const c = this.cols;
    const connNames: string[] = [];
    for (const [name, id] of this.connIds) connNames[id] = name;
    const identities = connNames.map((name) => this.stats_.identityOf(name));
    const actionNames: string[] = [];
    for (const [name, id] of this.actionIds) actionNames[id] = name;
    const facts: FilterFacts = { kind: 'frame', conn: '', t: 0, findings: 0 };
    return (i, text) => {
      const k = c.kind[i]!;
      const kind = KIND_NAME[k]!;
      const frameish = kind === 'frame' || kind === 'ping' || kind === 'pong';
      facts.kind = kind;
      facts.conn = connNames[c.conn[i]!] ?? '';
      facts.identity = identities[c.conn[i]!];
      facts.t = c.t[i]!;
      facts.sender = frameish ? SENDER_NAME[c.sender[i]!] : undefined;
      facts.type = kind === 'frame' ? c.type[i] || undefined : undefined;
      facts.action = kind === 'frame' ? actionNames[c.action[i]!] : undefined;
      facts.findings = c.findings[i]!;
      facts.text = text;
      return evalFilter(expr, facts);
    };
  }

  /** Indices (into the columns) of the events that match; cached for the last query and extended as indexing goes on. */
  private async matches(q: EventQuery): Promise<{ list: Uint32Array; n: number }> {
    const key = JSON.stringify(q);
    const upto = this.cols.n;
    const cached = this.queryCache;
    if (cached && cached.key === key && cached.upto === upto) return { list: cached.matches, n: cached.n };
    const compiled = compileQuery(q);
    let list = new Uint32Array(Math.min(upto, 4096) || 1);
    let n = 0;
    const push = (i: number): void => {
      if (n === list.length) {
        const b = new Uint32Array(list.length * 2);
        b.set(list);
        list = b;
      }
      list[n++] = i;
    };
    if (!compiled.ok) {
      this.queryCache = { key, upto, matches: list, n };
      return { list, n };
    }
    const expr = compiled.expr;
    const fromColumns = expr ? this.columnMatcher(expr) : () => true;
    const ctx = { identityOf: (conn: string) => this.stats_.identityOf(conn) };
    let i = 0;
    while (i < upto) {
      const v = fromColumns(i);
      if (v !== undefined) {
        if (v) push(i);
        i++;
        continue;
      }
      // Some terms need the events: read the undecided ones in large sequential blocks.
      let j = i;
      const blockStart = this.cols.offset[i]!;
      while (j < upto && this.cols.offset[j]! + this.cols.length[j]! - blockStart < CHUNK * 4) j++;
      if (j === i) j = i + 1;
      const blockEnd = this.cols.offset[j - 1]! + this.cols.length[j - 1]!;
      // A file cut shorter since it was indexed leaves the lines past its end short: they read as unreadable.
      const block = await readAt(this.fh, blockStart, blockEnd - blockStart);
      for (let k = i; k < j; k++) {
        const w = k === i ? v : fromColumns(k);
        if (w === false) continue;
        if (w === true) {
          push(k);
          continue;
        }
        // Small integers (a block is at most a few MB): the offsets column holds doubles, and a double passed to the
        // line readers the index also calls deoptimized them.
        const off = (this.cols.offset[k]! - blockStart) | 0;
        const line = block.toString('utf8', off, off + this.cols.length[k]!);
        // Cheap pre-check on the raw line before JSON.parse: a needle without quotes, backslashes or control
        // characters appears verbatim (case aside) in the line wherever it appears in a decoded string.
        if (fromColumns(k, rawTextProbe(line)) === false) continue;
        const r = parseEventBytes(block, off, off + this.cols.length[k]!, this.version(), line);
        if (r.ok && evalFilter(expr!, eventFacts(r.value, ctx)) === true) push(k);
      }
      i = j;
    }
    this.queryCache = { key, upto, matches: list, n };
    return { list, n };
  }

  async query(q: EventQuery, offset: number, limit: number): Promise<EventPage> {
    const off = Math.max(0, Math.floor(offset));
    const lim = Math.max(0, Math.min(10_000, Math.floor(limit)));
    if (isEmptyQuery(q)) {
      const total = this.cols.n;
      const idx: number[] = [];
      for (let i = off; i < Math.min(total, off + lim); i++) idx.push(i);
      return { total, offset: off, events: await this.readIndices(idx) };
    }
    const { list, n } = await this.matches(q);
    const idx: number[] = [];
    for (let k = off; k < Math.min(n, off + lim); k++) idx.push(list[k]!);
    return { total: n, offset: off, events: await this.readIndices(idx) };
  }

  /** Reads events by index, coalescing neighbours into one read. */
  private async readIndices(idx: number[]): Promise<ScopeEvent[]> {
    const out: ScopeEvent[] = [];
    let k = 0;
    while (k < idx.length) {
      const first = idx[k]!;
      const start = this.cols.offset[first]!;
      let last = k;
      while (
        last + 1 < idx.length &&
        this.cols.offset[idx[last + 1]!]! + this.cols.length[idx[last + 1]!]! - start < CHUNK * 4 &&
        this.cols.offset[idx[last + 1]!]! >= start
      ) {
        last++;
      }
      const end = this.cols.offset[idx[last]!]! + this.cols.length[idx[last]!]!;
      const block = await readAt(this.fh, start, end - start);
      for (let m = k; m <= last; m++) {
        const i = idx[m]!;
        const o = (this.cols.offset[i]! - start) | 0;
        const r = parseEventBytes(block, o, o + this.cols.length[i]!, this.version());
        if (r.ok) out.push(r.value);
        else out.push(await this.unreadable(i, r.code, r.reason));
      }
      k = last + 1;
    }
    return out;
  }

  /**
   * A line the skim indexed but that does not parse (a damaged escape inside a frame's text): it stays in the list
   * as a note saying where and why, and the file gets the finding once, so pages and counts stay consistent.
   */
  private async unreadable(i: number, code: string, reason: string): Promise<ScopeEvent> {
    const offset = this.cols.offset[i]!;
    const line = await this.lineAt(offset);
    if (!this.reported.has(i)) {
      this.reported.add(i);
      this.problem(code, `${reason} The line was skipped.`, line, offset);
    }
    const conn = this.connNames[this.cols.conn[i]!] ?? '';
    return unreadableNote(i, this.cols.t[i]!, conn, lineFinding(code, reason, line, offset));
  }

  /** 1-based line number of a byte offset (a line start), counted from the nearest mark before it. */
  private async lineAt(offset: number): Promise<number> {
    const known = this.lineNumbers.get(offset);
    if (known !== undefined) return known;
    let lo = 0;
    let hi = this.markOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.markOffsets[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    let from = this.markOffsets[lo]!;
    let line = this.markLines[lo]! + 1;
    // Damaged lines are mostly met in file order (paging, export): count on from the last one when it is nearer.
    if (this.lastLine && this.lastLine.offset <= offset && this.lastLine.offset > from)
      ({ offset: from, line } = this.lastLine);
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, offset - from)));
    for (let pos = from; pos < offset;) {
      const { bytesRead } = await this.fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (bytesRead === 0) break;
      for (let k = buf.indexOf(0x0a, 0); k >= 0 && k < bytesRead; k = buf.indexOf(0x0a, k + 1)) line++;
      pos += bytesRead;
    }
    if (this.lineNumbers.size < MAX_REMEMBERED_LINES) this.lineNumbers.set(offset, line);
    this.lastLine = { offset, line };
    return line;
  }

  async *events(): AsyncIterable<ScopeEvent> {
    await this.done;
    const batch = 2000;
    for (let i = 0; i < this.cols.n; i += batch) {
      const idx: number[] = [];
      for (let j = i; j < Math.min(this.cols.n, i + batch); j++) idx.push(j);
      for (const e of await this.readIndices(idx)) yield e;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.done.catch(() => {});
    await this.fh.close();
  }
}

/** Small helper for tests and the CLI: all events of a memory-sized capture. */
export async function readAllEvents(file: CaptureFile): Promise<ScopeEvent[]> {
  const out: ScopeEvent[] = [];
  for await (const e of file.events()) out.push(e);
  return out;
}

/**
 * A text probe on a raw line: a needle without quotes, backslashes or control characters appears verbatim (case
 * aside) in the line wherever it appears in a decoded string, so its absence rules the term out without JSON.parse.
 */
function rawTextProbe(line: string): (needle: string) => boolean | undefined {
  let lower: string | undefined;
  return (needle) => {
    // eslint-disable-next-line no-control-regex
    if (/["\\\u0000-\u001f]/.test(needle)) return undefined;
    lower ??= line.toLowerCase();
    return lower.includes(needle.toLowerCase()) ? undefined : false;
  };
}
