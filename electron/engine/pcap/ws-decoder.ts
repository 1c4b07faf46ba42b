import { NO_FINDINGS } from '../../../shared/ocpp/finding';
import type { Finding } from '../../../shared/capture/events';
import { slab } from './byte-slab';
import { DEFLATE_TAIL, MAX_INFLATED_IMPORT, MessageInflater } from './message-inflater';
import type { InflateBudget } from './message-inflater';
import { laxUtf8Text, orBytes, utf8Text } from '../connections/utf8-text';
import { xorMask } from '../connections/ws-mask';

export { MAX_INFLATED_IMPORT, MAX_INFLATED_MESSAGE } from './message-inflater';
export type { InflateBudget } from './message-inflater';

/**
 * WebSocket framing (RFC 6455) for one direction of a reassembled stream: unmasking, fragmentation, control frames
 * interleaved with fragments, and permessage-deflate where it can be inflated. Emits whole messages, text messages
 * as their text (decoded where the bytes lie: nothing else needs them). After any framing error the direction is
 * marked broken (framing cannot be resynchronised) and a finding says why.
 */

const MAX_MESSAGE = 64 << 20;
/** Opcodes RFC 6455 defines (0-2 data, 8-10 control), as a bit set. */
const KNOWN_OPCODES = 0x0707;

export type WsMessage =
  | { kind: 'text'; text: string; t: number; findings: readonly Finding[] }
  | { kind: 'binary'; data: Uint8Array; t: number; findings: readonly Finding[] }
  | { kind: 'close'; code: number; reason: string; t: number }
  | { kind: 'ping' | 'pong'; data: Uint8Array; t: number };

const warn = (code: string, message: string): Finding => ({ code, severity: 'warning', message });

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

  /** The bytes chunk[start, end) of this side's stream, captured at `t`. */
  push(chunk: Uint8Array, t: number, start = 0, end = chunk.length): void {
    if (this.broken) return;
    if (this.len === 0) {
      // Nothing held back: frames are read from the chunk itself, and only an incomplete last frame is kept.
      let off = start;
      while (!this.broken) {
        const used = this.frame(chunk, off, end, false, t);
        if (used === 0) break;
        off += used;
      }
      if (!this.broken && off < end) this.keep(chunk.subarray(off, end));
      return;
    }
    this.keep(chunk.subarray(start, end));
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
    const maskAt = masked ? off + hdr : -1;
    if (masked) hdr += 4;
    if (avail < hdr + len) return 0;
    const start = off + hdr;
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
      const payload = this.kept(b, start, len, maskAt, reused);
      if (opcode === 8) {
        const code = len >= 2 ? (payload[0]! << 8) | payload[1]! : 1005;
        this.emit({ kind: 'close', code, reason: laxUtf8Text(payload, Math.min(2, len), len), t });
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
    if (this.fragmentBytes + len > MAX_MESSAGE) {
      this.breakWith(
        'ws-message-too-large',
        `A WebSocket message exceeds ${MAX_MESSAGE} bytes; decoding of this side stopped.`,
      );
      return 0;
    }
    if (!fin) {
      // Kept until the message completes: always a copy, never a view of bytes that may change.
      this.fragments.push(this.kept(b, start, len, maskAt, true));
      this.fragmentBytes += len;
      return hdr + len;
    }
    const binary = this.fragmentOpcode === 2;
    const compressed = this.fragmentCompressed;
    this.fragmentOpcode = 0;
    if (this.fragments.length === 0) {
      this.message(binary, compressed, b, start, len, maskAt, reused, t, findings);
      return hdr + len;
    }
    const last = this.kept(b, start, len, maskAt, reused);
    const all = new Uint8Array(this.fragmentBytes + len);
    let o = 0;
    for (const f of this.fragments) {
      all.set(f, o);
      o += f.length;
    }
    all.set(last, o);
    this.fragments = [];
    this.fragmentBytes = 0;
    this.message(binary, compressed, all, 0, all.length, -1, false, t, findings);
    return hdr + len;
  }

  /** A whole message, b[start, start + len) (masked with the key at b[maskAt] when maskAt >= 0). */
  private message(
    binary: boolean,
    compressed: boolean,
    b: Uint8Array,
    start: number,
    len: number,
    maskAt: number,
    reused: boolean,
    t: number,
    findings: readonly Finding[],
  ): void {
    if (compressed && !this.deflate()) {
      findings = [
        ...findings,
        warn('ws-rsv1-without-extension', 'RSV1 is set but no extension was negotiated.'),
      ];
    } else if (compressed) {
      // The compressed bytes and their sync-flush tail, where the inflater reads them (unmasked on the way).
      const input = slab.take(len + DEFLATE_TAIL.length);
      const inAt = slab.at;
      if (maskAt >= 0) xorMask(b, start, len, maskAt, input, inAt, this.viewOf(b), this.viewOf(input));
      else copy(b, start, len, input, inAt);
      input.set(DEFLATE_TAIL, inAt + len);
      this.inflater ??= new MessageInflater(this.side, this.budget, this.fail);
      const n = this.inflater.inflateAt(input, inAt, inAt + len + DEFLATE_TAIL.length);
      if (typeof n !== 'number') {
        this.emit({ kind: 'binary', data: input.subarray(inAt, inAt + len), t, findings: [...findings, n] });
        return;
      }
      const out = this.inflater.out;
      const at = this.inflater.outAt;
      if (binary) {
        // A copy: the inflater's buffer holds the next message next.
        this.emit({ kind: 'binary', data: out.slice(at, at + n), t, findings });
        return;
      }
      this.text(out, at, n, -1, t, findings);
      // Decoded: neither the compressed nor the inflated bytes are needed any more.
      slab.giveBack(out, at);
      slab.giveBack(input, inAt);
      return;
    }
    if (binary) this.emit({ kind: 'binary', data: this.kept(b, start, len, maskAt, reused), t, findings });
    else this.text(b, start, len, maskAt, t, findings);
  }

  private text(
    b: Uint8Array,
    start: number,
    len: number,
    maskAt: number,
    t: number,
    findings: readonly Finding[],
  ): void {
    let bytes = b;
    let at = start;
    let or: number;
    if (maskAt >= 0) {
      // Unmasked into scratch space, given back once decoded.
      bytes = slab.take(len);
      at = slab.at;
      or = xorMask(b, start, len, maskAt, bytes, at, this.viewOf(b), this.viewOf(bytes));
    } else or = orBytes(b, start, start + len, this.viewOf(b));
    let text = utf8Text(bytes, at, at + len, or);
    if (text === undefined) {
      text = laxUtf8Text(bytes, at, at + len);
      findings = [
        ...findings,
        { code: 'ws-invalid-utf8', severity: 'error', message: 'A text frame is not valid UTF-8.' },
      ];
    }
    if (maskAt >= 0) slab.giveBack(bytes, at);
    this.emit({ kind: 'text', text, t, findings });
  }

  private lastArray: Uint8Array | undefined;
  private lastView: DataView | undefined;

  /** A DataView of all of b: the slab's, or that of the array this decoder read last (mostly the same chunk). */
  private viewOf(b: Uint8Array): DataView {
    if (b === slab.buf) return slab.view;
    if (b !== this.lastArray || !this.lastView) {
      this.lastArray = b;
      this.lastView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.lastView;
  }

  /** b[start, start + len) as bytes that stay as they are (a copy, unmasked, when masked or `copied`). */
  private kept(b: Uint8Array, start: number, len: number, maskAt: number, copied: boolean): Uint8Array {
    if (maskAt < 0 && !copied) return b.subarray(start, start + len);
    const out = slab.take(len);
    const at = slab.at;
    if (maskAt >= 0) xorMask(b, start, len, maskAt, out, at, this.viewOf(b), this.viewOf(out));
    else copy(b, start, len, out, at);
    return out.subarray(at, at + len);
  }
}

/** Short runs are copied in place: a view to hand to set() costs more than the copy. */
function copy(b: Uint8Array, start: number, len: number, out: Uint8Array, at: number): void {
  if (len > 256) {
    out.set(b.subarray(start, start + len), at);
    return;
  }
  for (let i = 0; i < len; i++) out[at + i] = b[start + i]!;
}
