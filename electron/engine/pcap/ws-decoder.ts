import type { Finding } from '../../../shared/capture/events';
import { concatBytes, MAX_INFLATED_IMPORT, MessageInflater } from './message-inflater';
import type { InflateBudget } from './message-inflater';

export { MAX_INFLATED_IMPORT, MAX_INFLATED_MESSAGE } from './message-inflater';
export type { InflateBudget } from './message-inflater';

/**
 * WebSocket framing (RFC 6455) for one direction of a reassembled stream: unmasking, fragmentation, control frames
 * interleaved with fragments, and permessage-deflate where it can be inflated. Emits whole messages. After any
 * framing error the direction is marked broken (framing cannot be resynchronised) and a finding says why.
 */

const MAX_MESSAGE = 64 << 20;
/** Opcodes RFC 6455 defines (0-2 data, 8-10 control), as a bit set. */
const KNOWN_OPCODES = 0x0707;
/** A message without findings: shared, never written to (receivers copy before adding). */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

export type WsMessage =
  | { kind: 'text' | 'binary'; data: Uint8Array; t: number; findings: readonly Finding[] }
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

  private inflater: MessageInflater | undefined;

  private get side(): string {
    return this.fromClient ? 'station' : 'CSMS';
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
    this.inflater?.end();
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
    if (this.len === 0) {
      // Nothing held back: frames are read from the chunk itself, and only an incomplete last frame is kept.
      let off = 0;
      while (!this.broken) {
        const used = this.frame(chunk, off, chunk.length, false, t);
        if (used === 0) break;
        off += used;
      }
      if (!this.broken && off < chunk.length) this.keep(chunk.subarray(off));
      return;
    }
    this.keep(chunk);
    let off = 0;
    while (!this.broken) {
      const used = this.frame(this.buf, off, this.len, true, t);
      if (used === 0) break;
      off += used;
    }
    if (off > 0) {
      this.buf.copyWithin(0, off, this.len);
      this.len -= off;
    }
  }

  private keep(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + bytes.length, 4096));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /**
   * Decodes one frame of `b` at off (bytes up to `end` are there); returns bytes used, or 0 when more are needed.
   * `reused`: b is this decoder's own buffer, which later bytes overwrite, so what is kept from it is copied.
   */
  private frame(b: Uint8Array, off: number, end: number, reused: boolean, t: number): number {
    const avail = end - off;
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
    if (((KNOWN_OPCODES >> opcode) & 1) === 0) {
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
    const start = off + hdr;
    let payload: Uint8Array;
    if (masked) {
      payload = unmaskedSpace(len);
      const m0 = b[maskOff]!;
      const m1 = b[maskOff + 1]!;
      const m2 = b[maskOff + 2]!;
      const m3 = b[maskOff + 3]!;
      let i = 0;
      for (; i + 4 <= len; i += 4) {
        payload[i] = b[start + i]! ^ m0;
        payload[i + 1] = b[start + i + 1]! ^ m1;
        payload[i + 2] = b[start + i + 2]! ^ m2;
        payload[i + 3] = b[start + i + 3]! ^ m3;
      }
      for (; i < len; i++) payload[i] = b[start + i]! ^ b[maskOff + (i & 3)]!;
    } else {
      // A view of the caller's bytes is safe to hand on; this decoder's own buffer is overwritten later.
      payload = reused ? b.slice(start, start + len) : b.subarray(start, start + len);
    }
    this.frames++;
    let findings: readonly Finding[] = NO_FINDINGS;
    if (this.fromClient !== masked)
      findings = [
        this.fromClient
          ? warn(
              'ws-unmasked-client-frame',
              'The station sent an unmasked frame (RFC 6455 requires masking).',
            )
          : warn('ws-masked-server-frame', 'The CSMS sent a masked frame (RFC 6455 forbids it).'),
      ];
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
        findings = [
          ...findings,
          warn('ws-fragment-interleaved', 'A new message started before the previous fragmented one ended.'),
        ];
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
    if (this.fragmentBytes + payload.length > MAX_MESSAGE) {
      this.breakWith(
        'ws-message-too-large',
        `A WebSocket message exceeds ${MAX_MESSAGE} bytes; decoding of this side stopped.`,
      );
      return 0;
    }
    if (!fin) {
      // Kept until the message completes: never a view of bytes that change.
      this.fragments.push(masked || reused ? payload : payload.slice());
      this.fragmentBytes += payload.length;
      return hdr + len;
    }
    let data =
      this.fragments.length === 0
        ? payload
        : concatBytes([...this.fragments, payload], this.fragmentBytes + payload.length);
    const kind = this.fragmentOpcode === 2 ? 'binary' : 'text';
    this.fragments = [];
    this.fragmentBytes = 0;
    this.fragmentOpcode = 0;
    if (this.fragmentCompressed) {
      if (!this.deflate()) {
        findings = [
          ...findings,
          warn('ws-rsv1-without-extension', 'RSV1 is set but no extension was negotiated.'),
        ];
      } else {
        this.inflater ??= new MessageInflater(this.side, this.budget, this.fail);
        const inflated = this.inflater.inflate(data);
        if (inflated instanceof Uint8Array) data = inflated;
        else {
          this.emit({ kind: 'binary', data, t, findings: [...findings, inflated] });
          return hdr + len;
        }
      }
    }
    this.emit({ kind, data, t, findings });
    return hdr + len;
  }
}

/**
 * Unmasked payloads are cut from shared slabs: most are small, and a typed array of its own (memory outside the
 * heap, zeroed, tracked) costs more than unmasking it. A slab lives as long as any payload cut from it.
 */
const SLAB = 64 * 1024;
let slab = new Uint8Array(SLAB);
let slabUsed = 0;
function unmaskedSpace(len: number): Uint8Array {
  if (len > SLAB / 8) return new Uint8Array(len);
  if (slabUsed + len > SLAB) {
    slab = new Uint8Array(SLAB);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + len);
  slabUsed += len;
  return out;
}
