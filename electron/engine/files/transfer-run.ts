import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type {
  Finding,
  SocketAddress,
  TransferEvent,
  TransferFrameRef,
  TransferProtocol,
} from '../../../shared/capture/events';
import type { EventStream } from '../connections/event-stream';
import type { TransferTicket } from './transfer-tickets';

/** Progress events at most this often per transfer, so a fast transfer cannot flood the log. */
export const PROGRESS_INTERVAL_MS = 500;

export const FILES_CONN = 'files';

/** Whom a transfer belongs to: the charger's connection and identity, and the request that carried its URL. */
export interface TransferOwner {
  conn?: string;
  identity?: string;
  request?: TransferFrameRef;
}

export interface TransferStart {
  protocol: TransferProtocol;
  direction: 'upload' | 'download';
  name: string;
  size?: number;
  offset?: number;
  remote?: SocketAddress;
  ticket?: TransferTicket;
  /** Resolved by the service when the transfer begins (see RequestLinks.owner). */
  owner?: TransferOwner;
}

type TransferBody = Omit<TransferEvent, 'seq' | 't' | 'mono' | 'kind' | 'phase' | 'conn'>;

let counter = 0;

/**
 * One transfer, from first byte to the end: counts and hashes the bytes as they pass, emits started, throttled
 * progress and exactly one of completed or failed. The duration is measured on the monotonic clock where the bytes
 * move (from the start of the transfer to its last byte).
 */
export class TransferRun {
  readonly id: string;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private readonly startedAt = performance.now();
  private lastProgress = this.startedAt;
  private ended = false;

  constructor(
    private readonly stream: EventStream,
    private readonly start: TransferStart,
    /** Called once the transfer has ended, with its outcome (for the server's list of recent transfers). */
    private readonly onEnd?: (event: TransferEvent) => void,
  ) {
    this.id = `x${++counter}-${Date.now().toString(36)}`;
    this.emit('started', {});
  }

  get owner(): TransferOwner | undefined {
    return this.start.owner;
  }

  get direction(): 'upload' | 'download' {
    return this.start.direction;
  }

  get byteCount(): number {
    return this.bytes;
  }

  get done(): boolean {
    return this.ended;
  }

  add(chunk: Uint8Array): void {
    if (this.ended) return;
    this.bytes += chunk.length;
    this.hash.update(chunk);
    const now = performance.now();
    if (now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      this.lastProgress = now;
      this.emit('progress', {});
    }
  }

  /** Ends the transfer as completed with the SHA-256 of everything added; `check` may flag the hash. */
  complete(check: (sha256: string) => Finding[] = () => []): TransferEvent | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    const sha256 = this.hash.digest('hex');
    const findings = check(sha256);
    const e = this.emit('completed', {
      durationMs: performance.now() - this.startedAt,
      sha256,
      ...(findings.length ? { findings } : {}),
    });
    this.onEnd?.(e);
    return e;
  }

  fail(finding: Finding): TransferEvent | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    const e = this.emit('failed', { durationMs: performance.now() - this.startedAt, findings: [finding] });
    this.onEnd?.(e);
    return e;
  }

  /** A status notification matched to this transfer. */
  link(notification: TransferFrameRef): void {
    this.emit('linked', { notification });
  }

  private emit(phase: TransferEvent['phase'], extra: Partial<TransferBody>): TransferEvent {
    const s = this.start;
    const o = s.owner;
    const identity = o?.identity;
    return this.stream.emit({
      kind: 'transfer',
      conn: o?.conn ?? FILES_CONN,
      transfer: this.id,
      phase,
      protocol: s.protocol,
      direction: s.direction,
      name: s.name,
      bytes: this.bytes,
      ...(s.size !== undefined ? { size: s.size } : {}),
      ...(s.offset ? { offset: s.offset } : {}),
      ...(s.remote ? { remote: s.remote } : {}),
      ...(identity !== undefined ? { identity } : {}),
      ...(o?.request ? { request: o.request } : {}),
      ...extra,
    }) as TransferEvent;
  }
}

/** Stable finding codes of the file server (documented in docs/capture-format.md). */
export const TRANSFER_FINDINGS = {
  tooLarge: (limit: number): Finding => ({
    code: 'transfer-too-large',
    severity: 'error',
    message: `The upload is larger than the limit of ${limit} bytes and was refused; raise the limit to accept it.`,
  }),
  aborted: (detail: string): Finding => ({
    code: 'transfer-aborted',
    severity: 'error',
    message: `The transfer stopped before its end: ${detail}.`,
  }),
  shortUpload: (got: number, expected: number): Finding => ({
    code: 'transfer-incomplete',
    severity: 'error',
    message: `The upload ended after ${got} of the ${expected} bytes announced.`,
  }),
  firmwareChanged: (name: string): Finding => ({
    code: 'transfer-firmware-changed',
    severity: 'warning',
    message: `${name} changed on disk since it was picked: the charger got different bytes than the SHA-256 and signature in the request describe.`,
  }),
  storage: (detail: string): Finding => ({
    code: 'transfer-storage-failed',
    severity: 'error',
    message: `The file could not be stored or read on this computer: ${detail}.`,
  }),
} as const;
