import { constants, inflateRawSync } from 'node:zlib';
import type { Finding } from '../../../shared/capture/events';

/**
 * WebSocket framing (RFC 6455) for one direction of a reassembled stream: unmasking, fragmentation, control frames
 * interleaved with fragments, and permessage-deflate where it can be inflated. Emits whole messages. After any
 * framing error the direction is marked broken (framing cannot be resynchronised) and a finding says why.
 */

const MAX_MESSAGE = 64 << 20;
/** One message may inflate to this much; past it (a deflate bomb) that side is no longer inflated. */
export const MAX_INFLATED_MESSAGE = 16 << 20;
/** What all the messages of one import may inflate to together. */
export const MAX_INFLATED_IMPORT = 256 << 20;

/** Shared by every decoder of one import: inflated bytes still allowed. */
export interface InflateBudget {
  left: number;
}

const TAIL = new Uint8Array([0, 0, 0xff, 0xff]);
/** deflate refers back at most this far: the window a message may use from the ones before it. */
const WINDOW = 32 * 1024;

export type WsMessage =
  | { kind: 'text' | 'binary'; data: Uint8Array; t: number; findings: Finding[] }
  | { kind: 'close'; code: number; reason: string; t: number }
  | { kind: 'ping' | 'pong'; data: Uint8Array; t: number };

const warn = (code: string, message: string): Finding => ({ code, severity: 'warning', message });
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lax = new TextDecoder('utf-8');

export function decodeText(data: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: utf8.decode(data), valid: true };
  } catch {
    return { text: utf8Lax.decode(data), valid: false };
  }
}

export class WsDecoder {
  private buf = new Uint8Array(0);
  private len = 0;
  private fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  private fragmentOpcode = 0;
  private fragmentCompressed = false;
  broken: string | undefined;
  frames = 0;

  constructor(
    /** true for the client (station) side, whose frames must be masked. */
    private readonly fromClient: boolean,
    private readonly deflate: () => boolean,
    private readonly emit: (m: WsMessage) => void,
    private readonly fail: (f: Finding) => void,
    private readonly budget: InflateBudget = { left: MAX_INFLATED_IMPORT },
  ) {}

  private breakWith(code: string, message: string): void {
    if (this.broken) return;
    this.broken = code;
    this.fail({ code, severity: 'error', message });
  }

  /** The last WINDOW bytes this side inflated (kept in a larger buffer, compacted when full). */
  private window: Buffer | undefined;
  private windowLen = 0;
  /** Why this side is no longer inflated (its inflate context is lost), once that happened. */
  private inflateStopped: Finding | undefined;

  /**
   * permessage-deflate with context takeover: each message is inflated on its own with the last 32 KB inflated
   * before it as the preset dictionary, which is exactly the window a deflate stream can refer back to. So a
   * message costs its own bytes (no re-inflating of the history, no limit on it), synchronously. Bounded: a message
   * inflating past MAX_INFLATED_MESSAGE, or the import past MAX_INFLATED_IMPORT, stops inflating (with a finding)
   * and what follows on that side is shown compressed.
   */
  private inflate(data: Uint8Array): Uint8Array | Finding {
    if (this.inflateStopped) return this.inflateStopped;
    const cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left);
    if (cap <= 0) return this.overBudget();
    let out: Buffer;
    try {
      const w = this.window;
      const opts = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: cap };
      const input = concat([data, TAIL], data.length + 4);
      out =
        w && this.windowLen > 0
          ? inflateRawSync(input, {
              ...opts,
              dictionary: w.subarray(Math.max(0, this.windowLen - WINDOW), this.windowLen),
            })
          : inflateRawSync(input, opts);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE')
        return this.stopInflating(
          'pcap-permessage-deflate',
          `A message of the ${this.side} side could not be inflated (its context is from before the capture, or the data is corrupt): it and the later compressed messages of this side are shown as their compressed bytes.`,
        );
      if (cap < MAX_INFLATED_MESSAGE) return this.overBudget();
      return this.stopInflating(
        'pcap-inflate-too-large',
        `A message of the ${this.side} side inflates to more than ${MAX_INFLATED_MESSAGE >> 20} MB (a deflate bomb?): it and the later compressed messages of this side are shown as their compressed bytes.`,
      );
    }
    this.budget.left -= out.length;
    this.remember(out);
    return out;
  }

  private remember(out: Buffer): void {
    const w = (this.window ??= Buffer.allocUnsafe(WINDOW * 4));
    if (out.length >= WINDOW) {
      out.copy(w, 0, out.length - WINDOW);
      this.windowLen = WINDOW;
      return;
    }
    if (this.windowLen + out.length > w.length) {
      w.copy(w, 0, this.windowLen - WINDOW, this.windowLen);
      this.windowLen = WINDOW;
    }
    out.copy(w, this.windowLen);
    this.windowLen += out.length;
  }

  private overBudget(): Finding {
    return this.stopInflating(
      'pcap-inflate-budget',
      `The messages of this capture inflate to more than ${MAX_INFLATED_IMPORT >> 20} MB together: from here on, compressed messages of the ${this.side} side are shown as their compressed bytes.`,
    );
  }

  private get side(): string {
    return this.fromClient ? 'station' : 'CSMS';
  }

  private stopInflating(code: string, message: string): Finding {
    this.window = undefined;
    const f: Finding = { code, severity: 'error', message };
    this.inflateStopped = f;
    this.fail(f);
    return f;
  }

  gap(bytes: number): void {
    if (this.broken) return;
    this.breakWith(
      'pcap-gap',
      `${bytes} byte(s) of the ${this.fromClient ? 'station' : 'CSMS'} side are missing from the capture; WebSocket frames after the gap cannot be decoded.`,
    );
  }

  /** The stream ended (end of capture, FIN or reset): a message still being assembled never completed. */
  end(): void {
    if (this.broken || (this.len === 0 && this.fragments.length === 0)) return;
    const have = this.len + this.fragmentBytes;
    this.broken = 'pcap-cut-off';
    this.fail(
      warn(
        'pcap-cut-off',
        `The ${this.fromClient ? 'station' : 'CSMS'} side stops in the middle of a WebSocket message (${have} byte(s) of it are in the capture); that message is not shown.`,
      ),
    );
  }

  push(chunk: Uint8Array, t: number): void {
    if (this.broken) return;
    if (this.len + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + chunk.length, 4096));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    let off = 0;
    while (!this.broken) {
      const used = this.frame(off, t);
      if (used === 0) break;
      off += used;
    }
    if (off > 0) {
      this.buf.copyWithin(0, off, this.len);
      this.len -= off;
    }
  }

  /** Decodes one frame at off; returns bytes used, or 0 when more bytes are needed. */
  private frame(off: number, t: number): number {
    const b = this.buf;
    const avail = this.len - off;
    if (avail < 2) return 0;
    const b0 = b[off]!;
    const b1 = b[off + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    let hdr = 2;
    if (len === 126) {
      if (avail < 4) return 0;
      len = (b[off + 2]! << 8) | b[off + 3]!;
      hdr = 4;
    } else if (len === 127) {
      if (avail < 10) return 0;
      const hi = ((b[off + 2]! << 24) | (b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!) >>> 0;
      const lo = ((b[off + 6]! << 24) | (b[off + 7]! << 16) | (b[off + 8]! << 8) | b[off + 9]!) >>> 0;
      if (hi !== 0 || lo > MAX_MESSAGE) {
        this.breakWith(
          'ws-frame-too-large',
          `A WebSocket frame claims ${hi * 2 ** 32 + lo} bytes; decoding of this side stopped.`,
        );
        return 0;
      }
      len = lo;
      hdr = 10;
    }
    if (![0, 1, 2, 8, 9, 10].includes(opcode)) {
      this.breakWith(
        'ws-bad-opcode',
        `WebSocket opcode ${opcode} is reserved; the stream is not valid WebSocket framing.`,
      );
      return 0;
    }
    if (opcode >= 8 && (!fin || len > 125)) {
      this.breakWith(
        'ws-bad-control-frame',
        'A WebSocket control frame is fragmented or longer than 125 bytes.',
      );
      return 0;
    }
    const maskOff = off + hdr;
    if (masked) hdr += 4;
    if (avail < hdr + len) return 0;
    const payload = b.slice(off + hdr, off + hdr + len);
    if (masked) {
      for (let i = 0; i < len; i++) payload[i]! ^= b[maskOff + (i & 3)]!;
    }
    this.frames++;
    const findings: Finding[] = [];
    if (this.fromClient && !masked)
      findings.push(
        warn('ws-unmasked-client-frame', 'The station sent an unmasked frame (RFC 6455 requires masking).'),
      );
    if (!this.fromClient && masked)
      findings.push(warn('ws-masked-server-frame', 'The CSMS sent a masked frame (RFC 6455 forbids it).'));
    if (opcode >= 8) {
      if (opcode === 8) {
        const code = len >= 2 ? (payload[0]! << 8) | payload[1]! : 1005;
        this.emit({ kind: 'close', code, reason: decodeText(payload.subarray(2)).text, t });
      } else {
        this.emit({ kind: opcode === 9 ? 'ping' : 'pong', data: payload, t });
      }
      return hdr + len;
    }
    if (opcode !== 0) {
      if (this.fragments.length > 0) {
        findings.push(
          warn('ws-fragment-interleaved', 'A new message started before the previous fragmented one ended.'),
        );
        this.fragments = [];
        this.fragmentBytes = 0;
      }
      this.fragmentOpcode = opcode;
      this.fragmentCompressed = rsv1;
    } else if (this.fragments.length === 0 && this.fragmentOpcode === 0) {
      this.breakWith(
        'ws-unexpected-continuation',
        'A continuation frame arrived with no message in progress.',
      );
      return 0;
    }
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_MESSAGE) {
      this.breakWith(
        'ws-message-too-large',
        `A WebSocket message exceeds ${MAX_MESSAGE} bytes; decoding of this side stopped.`,
      );
      return 0;
    }
    if (!fin) return hdr + len;
    let data = concat(this.fragments, this.fragmentBytes);
    const kind = this.fragmentOpcode === 2 ? 'binary' : 'text';
    if (this.fragmentCompressed) {
      if (!this.deflate()) {
        findings.push(warn('ws-rsv1-without-extension', 'RSV1 is set but no extension was negotiated.'));
      } else {
        const inflated = this.inflate(data);
        if (inflated instanceof Uint8Array) data = inflated;
        else {
          findings.push(inflated);
          this.emit({ kind: 'binary', data, t, findings });
          this.fragments = [];
          this.fragmentBytes = 0;
          this.fragmentOpcode = 0;
          return hdr + len;
        }
      }
    }
    this.emit({ kind, data, t, findings });
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = 0;
    return hdr + len;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
