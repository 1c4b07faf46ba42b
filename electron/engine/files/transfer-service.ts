import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Finding, TransferEvent, TransferFrameRef } from '../../../shared/capture/events';
import type { EventStream } from '../connections/event-stream';
import { TooLargeError } from './transfer-folder';
import type { UploadSink, TransferFolder } from './transfer-folder';
import { TRANSFER_FINDINGS, TransferRun } from './transfer-run';
import type { TransferOwner, TransferStart } from './transfer-run';
import { TicketBook } from './transfer-tickets';
import type { TransferTicket } from './transfer-tickets';

/** What the tool knows of a firmware file it handed out: checked again after every complete download. */
export interface FirmwareFacts {
  name: string;
  size: number;
  sha256: string;
  modifiedMs: number;
}

/** Statuses a charger sends before its transfer starts. */
const ANNOUNCING = new Set(['Uploading', 'Downloading', 'DownloadScheduled']);

/**
 * What the HTTP and FTP front ends share: tickets, the folder, and one way to run an upload or a download so both
 * protocols count, hash, limit and report identically.
 */
export class TransferService {
  readonly firmware = new Map<string, FirmwareFacts>();
  /** Newest last, at most `recentMax`: what the Files panel lists. */
  readonly recent: TransferEvent[] = [];
  private readonly recentMax = 200;
  /** FTP user and password of the general ticket (command line --user/--password). */
  ftpAccount?: { user: string; password: string; ticket: TransferTicket };

  constructor(
    readonly stream: EventStream,
    readonly folder: TransferFolder,
    private readonly onChange: () => void = () => {},
    readonly tickets: TicketBook = new TicketBook(),
  ) {}

  private readonly runs = new Map<string, TransferRun>();
  /** Status notifications that came before their transfer started (conn -> direction -> notifications). */
  private readonly pending = new Map<string, TransferFrameRef[]>();
  /** Whom a transfer belongs to (RequestLinks.owner); without it, only the ticket's own identity is known. */
  resolveOwner: (ticket: TransferTicket | undefined, remoteAddress: string | undefined) => TransferOwner = (
    t,
  ) => (t?.identity !== undefined ? { identity: t.identity } : {});

  begin(start: TransferStart): TransferRun {
    const owner = start.owner ?? this.resolveOwner(start.ticket, start.remote?.address);
    const run = new TransferRun(this.stream, { ...start, owner }, (e) => {
      this.recent.push(e);
      if (this.recent.length > this.recentMax) this.recent.shift();
      this.onChange();
    });
    this.runs.set(run.id, run);
    if (this.runs.size > this.recentMax) this.runs.delete(this.runs.keys().next().value ?? '');
    if (owner.conn !== undefined) {
      const key = `${owner.conn}\n${start.direction}`;
      for (const n of this.pending.get(key) ?? []) run.link(n);
      this.pending.delete(key);
    }
    return run;
  }

  /**
   * Links a status notification to the newest transfer of that connection going that way; one that comes first
   * (Uploading before the upload starts) is kept and linked when the transfer starts.
   */
  link(conn: string, direction: 'upload' | 'download', notification: TransferFrameRef): void {
    const runs = [...this.runs.values()].reverse();
    const run = runs.find((r) => r.owner?.conn === conn && r.direction === direction);
    // "Uploading"/"Downloading" announce the next transfer: an older one that has ended is not theirs.
    const announces = notification.status !== undefined && ANNOUNCING.has(notification.status);
    if (run && !(announces && run.done)) {
      run.link(notification);
      return;
    }
    const key = `${conn}\n${direction}`;
    const list = this.pending.get(key) ?? [];
    if (list.length < 32) list.push(notification);
    this.pending.set(key, list);
    if (this.pending.size > 10_000) this.pending.delete(this.pending.keys().next().value ?? '');
  }

  /** The ticket an FTP login grants: the password is a token, or the configured account's password. */
  ftpLogin(user: string, password: string): TransferTicket | undefined {
    const a = this.ftpAccount;
    if (a && user === a.user && password === a.password) return a.ticket;
    return this.tickets.get(password);
  }

  /**
   * Receives an upload from `source` into the charger's folder. Resolves with the completed or failed event; never
   * rejects (a refused or broken upload is an event, and the caller answers the client from it).
   */
  async upload(source: NodeJS.ReadableStream, start: TransferStart): Promise<TransferEvent | undefined> {
    const run = this.begin(start);
    let sink: UploadSink;
    try {
      sink = await this.folder.openUpload(start.ticket?.identity, start.name, run);
    } catch (error) {
      return run.fail(TRANSFER_FINDINGS.storage((error as Error).message));
    }
    try {
      await pipeline(source, sink);
    } catch (error) {
      await sink.discard();
      if (error instanceof TooLargeError) return run.fail(TRANSFER_FINDINGS.tooLarge(error.limit));
      return run.fail(TRANSFER_FINDINGS.aborted(describe(error)));
    }
    if (start.size !== undefined && run.byteCount < start.size) {
      await sink.discard();
      return run.fail(TRANSFER_FINDINGS.shortUpload(run.byteCount, start.size));
    }
    try {
      await sink.commit();
    } catch (error) {
      await sink.discard();
      return run.fail(TRANSFER_FINDINGS.storage((error as Error).message));
    }
    return run.complete();
  }

  /** Sends bytes [start, end] of a file to `dest`; a whole-file download is checked against the firmware facts. */
  async download(
    path: string,
    range: { start: number; end: number; total: number },
    dest: Writable,
    start: TransferStart,
  ): Promise<TransferEvent | undefined> {
    const run = this.begin(start);
    const count = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        run.add(chunk);
        callback(null, chunk);
      },
    });
    const length = range.end - range.start + 1;
    try {
      if (length > 0) {
        await pipeline(createReadStream(path, { start: range.start, end: range.end }), count, dest);
      } else {
        dest.end();
      }
    } catch (error) {
      // A client that has every byte it asked for may hang up before our side sees the response finish (a charger
      // closing as soon as Content-Length is reached): that download is complete, not aborted.
      if (!(run.byteCount === length && closedByPeer(error)))
        return run.fail(TRANSFER_FINDINGS.aborted(describe(error)));
    }
    const facts = this.firmware.get(start.name);
    const whole = range.start === 0 && range.end === range.total - 1;
    return run.complete((sha256): Finding[] =>
      facts && whole && sha256 !== facts.sha256 ? [TRANSFER_FINDINGS.firmwareChanged(start.name)] : [],
    );
  }
}

function closedByPeer(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ERR_STREAM_PREMATURE_CLOSE' || e.code === 'ECONNRESET') return 'the connection was closed';
  if (e.code === 'ERR_STREAM_DESTROYED') return 'the connection was closed';
  return e.message || String(error);
}
