import type { RecordingStatus } from '../../../shared/api';
import type { ConnectionInfo, ScopeEvent } from '../../../shared/capture/events';
import type { EventStream } from '../connections/event-stream';
import { CaptureWriter } from './capture-writer';

/**
 * Records the engine's event stream into the capture folder, one file per session (rolled over by size). Knows the
 * connections it saw opened, so a rolled-over part's header lists them and the part reads on its own.
 */
export interface RecorderOptions {
  folder: string;
  /** File name stem (without the capture extension); default: capture-<date>-<time>. */
  name?: string;
  tool: string;
  maxBytes?: number;
  /** Only these connections (default: every connection). */
  filter?: (event: ScopeEvent) => boolean;
  /** Called after each status change (for the UI notice); cheap to call often. */
  onStatus?: (status: RecordingStatus) => void;
  onError?: (error: unknown) => void;
  now?: () => Date;
}

export function sessionFileName(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `capture-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${p(d.getMilliseconds(), 3)}`;
}

export class Recorder {
  private writer: CaptureWriter | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly connections = new Map<string, ConnectionInfo>();
  private failed: string | undefined;

  constructor(
    private readonly stream: EventStream,
    private readonly options: RecorderOptions,
  ) {
    // Connections are tracked even while not recording, so a recording started mid-session names them in its header.
    // A closed connection is not "already open" when a later recording starts: it stays out of that header.
    stream.subscribe((e) => {
      if (e.kind === 'opened') this.connections.set(e.conn, e.connection);
      else if (e.kind === 'closed') this.connections.delete(e.conn);
    });
  }

  get on(): boolean {
    return this.writer !== undefined;
  }

  status(): RecordingStatus {
    const w = this.writer;
    if (!w) return { on: false, events: 0, bytes: 0 };
    return { on: true, file: w.file, events: w.events, bytes: w.bytes };
  }

  start(): RecordingStatus {
    if (this.writer) return this.status();
    this.failed = undefined;
    this.writer = new CaptureWriter({
      folder: this.options.folder,
      name: this.options.name ?? sessionFileName(this.options.now?.() ?? new Date()),
      tool: this.options.tool,
      ...(this.options.maxBytes !== undefined ? { maxBytes: this.options.maxBytes } : {}),
      connections: () => [...this.connections.values()],
      onError: (error) => this.failedWith(error),
    });
    this.unsubscribe = this.stream.subscribe((e) => this.onEvent(e));
    const s = this.status();
    this.options.onStatus?.(s);
    return s;
  }

  private onEvent(e: ScopeEvent): void {
    if (!this.writer) return;
    if (this.options.filter && !this.options.filter(e)) return;
    try {
      this.writer.write(e);
    } catch (error) {
      this.failedWith(error);
    }
  }

  /** Disk full or the folder vanished: stop recording and say so, never take the engine down. */
  private failedWith(error: unknown): void {
    this.failed = (error as Error).message;
    this.stop();
    this.options.onError?.(error);
  }

  /** Why the last recording stopped on its own, if it did. */
  get lastError(): string | undefined {
    return this.failed;
  }

  stop(): RecordingStatus {
    const w = this.writer;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.writer = undefined;
    w?.close();
    const s: RecordingStatus = {
      on: false,
      events: w?.events ?? 0,
      bytes: w?.bytes ?? 0,
      ...(w ? { file: w.file } : {}),
    };
    this.options.onStatus?.(s);
    return s;
  }

  /** Every file this recorder wrote in the current session (more than one after roll-over). */
  get files(): string[] {
    return this.writer ? [...this.writer.files] : [];
  }
}
