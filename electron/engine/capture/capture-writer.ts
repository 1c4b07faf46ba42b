import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ConnectionInfo, ScopeEvent } from '../../../shared/capture/events';
import { CAPTURE_EXTENSION, encodeHeader, makeHeader, withoutLineKeys } from '../../../shared/capture/format';
import {
  frameLineParts,
  PARTS_SCRATCH_BYTES,
  verbatimRest,
  writeJsonString,
  writeVerbatimLine,
} from './frame-line';

/**
 * Appends events to a capture file. The lines of one turn of the event loop (all the frames of one read from a
 * socket, their answers, their notes) leave in one synchronous write at the end of that turn, or at once past
 * FLUSH_BYTES: one system call per event cost more than parsing and validating the frame. Once written, a line is
 * in the kernel's page cache, so killing the process (kill -9) loses at most the lines of the turn it was in, and
 * a crash in the middle of a write at most one partial line. (fsync, for power loss, runs on close only: it costs
 * milliseconds.) Rolls over to a new part when a file reaches maxBytes.
 */
export interface CaptureWriterOptions {
  folder: string;
  /** File name stem; parts get -2, -3... */
  name: string;
  tool: string;
  maxBytes?: number;
  connections?: () => ConnectionInfo[];
  /** A write at the end of a turn failed (disk full, folder gone): the writer is closed; nothing more is written. */
  onError?: (error: unknown) => void;
  /**
   * false for a file that goes when its reader closes (an import's private spool): no fsync on close, which for a
   * file of hundreds of MB held the event loop for as long as the disk took.
   */
  durable?: boolean;
}

/** Pending lines are written at once past this many bytes (a burst need not wait for the end of its turn). */
const FLUSH_BYTES = 256 * 1024;
/** The pending lines' buffer: a line that may not fit in what is left of it is written after a flush, or alone. */
const BUFFER_BYTES = 2 * FLUSH_BYTES;

export class CaptureWriter {
  private fd: number | undefined;
  private part = 1;
  private fileBytes = 0;
  private totalBytes = 0;
  private totalEvents = 0;
  readonly files: string[] = [];
  private readonly maxBytes: number;
  /**
   * The pending lines, encoded as they come into one buffer kept for the writer's life: joining the lines of a turn
   * into one string and encoding that into a fresh buffer cost a copy and an allocation of each byte more.
   */
  private buffer: Buffer | undefined;
  private pendingBytes = 0;
  /** A frame's text as UTF-8 before it is escaped into the buffer (see frame-line.ts). */
  private scratch: Buffer | undefined;
  private flushScheduled: NodeJS.Immediate | undefined;

  constructor(private readonly options: CaptureWriterOptions) {
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
    mkdirSync(options.folder, { recursive: true });
    this.openPart();
  }

  get file(): string {
    return this.files[this.files.length - 1]!;
  }
  get events(): number {
    return this.totalEvents;
  }
  get bytes(): number {
    return this.totalBytes + this.pendingBytes;
  }

  private openPart(): void {
    const stem = this.part === 1 ? this.options.name : `${this.options.name}-${this.part}`;
    const previous = this.files[this.files.length - 1];
    // Never append to an existing file (a second header in the middle would corrupt it): pick a free name.
    let file = join(this.options.folder, stem + CAPTURE_EXTENSION);
    for (let n = 2; ; n++) {
      try {
        this.fd = openSync(file, 'wx');
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw e;
        file = join(this.options.folder, `${stem}.${n}${CAPTURE_EXTENSION}`);
      }
    }
    this.files.push(file);
    this.fileBytes = 0;
    const header = makeHeader(this.options.tool, this.options.connections?.() ?? [], {
      ...(this.part > 1 ? { part: this.part } : {}),
      ...(previous ? { continues: basename(previous) } : {}),
    });
    this.writeRaw(encodeHeader(header));
  }

  private writeRaw(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    this.writeBytes(buf, buf.length);
  }

  private writeBytes(buf: Buffer, length: number): void {
    if (this.fd === undefined) return;
    let off = 0;
    while (off < length) off += writeSync(this.fd, buf, off, length - off);
    this.fileBytes += length;
    this.totalBytes += length;
  }

  write(given: ScopeEvent): void {
    if (this.fd === undefined) return;
    // Left out once here: the lines below are JSON.stringify's of this event (encodeEventBody's, without a second look).
    const event = withoutLineKeys(given);
    const rest = verbatimRest(event);
    const parts = rest === undefined ? frameLineParts(event) : undefined;
    const line = rest !== undefined || parts ? undefined : JSON.stringify(event);
    // At most 3 bytes per UTF-16 unit in UTF-8 (6 for a text's control character, escaped as \u00XX), and the newline.
    // A verbatim text too: one with a lone surrogate falls back to JSON.stringify, which escapes it in 6 (review: with
    // 3 reserved, the buffer's write cut that line short, or flush threw and lost the turn's lines).
    const most =
      rest !== undefined
        ? rest.length * 3 + (event as { text: string }).text.length * 6 + 40
        : parts
          ? (parts.head.length + parts.tail.length) * 3 + parts.text.length * 6 + 3
          : line!.length * 3 + 1;
    let buffer = (this.buffer ??= Buffer.allocUnsafe(BUFFER_BYTES));
    if (this.pendingBytes + most > buffer.length) {
      this.flush();
      if (most > buffer.length) {
        this.writeAlone(line ?? JSON.stringify(event));
        return;
      }
      buffer = this.buffer;
    }
    const start = this.pendingBytes;
    let at = start;
    if (rest !== undefined) {
      at = writeVerbatimLine((event as { text: string }).text, rest, buffer, at);
      // A text with a lone surrogate (-1): the whole line as JSON.stringify writes it.
      if (at < 0) at = start + buffer.write(JSON.stringify(event), start, 'utf8');
    } else if (parts) {
      at += buffer.write(parts.head, at, 'utf8');
      at = writeJsonString(
        parts.text,
        buffer,
        at,
        (this.scratch ??= Buffer.allocUnsafe(PARTS_SCRATCH_BYTES)),
      );
      // A text with a surrogate (-1): the whole line as JSON.stringify writes it.
      if (at < 0) at = start + buffer.write(JSON.stringify(event), start, 'utf8');
      else at += buffer.write(parts.tail, at, 'utf8');
    } else at += buffer.write(line!, at, 'utf8');
    buffer[at++] = 0x0a;
    // Rolled over by the line's UTF-16 length + newline, as before the line was written from parts: exact for
    // ASCII, an estimate otherwise. It is at most its bytes, so only a line that may not fit is encoded whole.
    if (
      this.fileBytes + at > this.maxBytes &&
      this.fileBytes + start > 0 &&
      this.totalEvents > 0 &&
      this.fileBytes + start + (line ?? JSON.stringify(event)).length + 1 > this.maxBytes
    ) {
      // The line goes to a new part, the lines before it to this one.
      this.pendingBytes = start;
      this.flush();
      this.nextPart();
      buffer.copyWithin(0, start, at);
      at -= start;
    }
    this.totalEvents++;
    this.pendingBytes = at;
    if (at >= FLUSH_BYTES) this.flush();
    else this.flushScheduled ??= setImmediate(this.flushLater);
  }

  /** Closes this part and opens the next (the pending lines written first by the caller). */
  private nextPart(): void {
    this.closeFd();
    this.part++;
    this.openPart();
  }

  /** A line larger than the buffer: written on its own, after the pending ones (rolled over first if need be). */
  private writeAlone(line: string): void {
    if (this.fileBytes + line.length + 1 > this.maxBytes && this.fileBytes > 0 && this.totalEvents > 0)
      this.nextPart();
    this.totalEvents++;
    this.writeRaw(line + '\n');
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = undefined;
    try {
      this.flush();
    } catch (error) {
      this.pendingBytes = 0;
      this.closeFd();
      this.options.onError?.(error);
    }
  };

  /** Writes the pending lines now (throws when the write fails). */
  flush(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    const n = this.pendingBytes;
    if (n === 0 || !this.buffer) return;
    this.pendingBytes = 0;
    this.writeBytes(this.buffer, n);
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      if (this.options.durable !== false) fsyncSync(this.fd);
    } catch {
      // fsync can fail on some file systems (pipes, network shares); the data is already written.
    }
    closeSync(this.fd);
    this.fd = undefined;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.closeFd();
      this.buffer = undefined;
    }
  }
}
