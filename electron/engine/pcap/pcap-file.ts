import type { Finding } from '../../../shared/capture/events';
import { ByteCursor } from './byte-cursor';
import type { LateChunks } from './byte-cursor';

/**
 * The two capture containers tcpdump and Wireshark write: classic pcap (micro- and nanosecond, either byte order)
 * and pcapng (section, interface and packet blocks, per-interface link type and time resolution). Yields raw
 * link-layer packets; never throws on bad input, it stops with a finding saying where.
 */

export interface RawPacket {
  linkType: number;
  /** ms since epoch (fractional). */
  t: number;
  /** The packet is data[off, off + len): a view into the chunk being read, not a copy. */
  data: Uint8Array;
  off: number;
  len: number;
  /** Original length on the wire: larger than data.length when the capture cut the packet (snaplen). */
  origLen: number;
}

export interface ContainerResult {
  format: 'pcap' | 'pcapng' | 'unknown';
  findings: Finding[];
}

const err = (code: string, message: string): Finding => ({ code, severity: 'error', message });
const EMPTY = new Uint8Array(0);

export function sniffContainer(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const m = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a) return 'pcapng';
  return undefined;
}

/** Called once a packet; the packet object is reused for the next one (read what you need before returning). */
export type OnPacket = (p: RawPacket) => void;

/** Packets handed over between two pauses of packetSteps. */
export const PACKETS_PER_STEP = 1024;

/**
 * The packets of a pcap or pcapng stream, read chunk by chunk (a whole file in memory is one chunk): only the
 * record being read is kept, so a file of any size is read in bounded memory. A callback, not a generator of
 * packets: a capture holds millions of them, and an iterator result plus a packet object each was a large part of
 * the cost. It pauses after every PACKETS_PER_STEP packets, so a caller sharing the event loop (the engine serving
 * chargers while a user opens a big capture) can give other work a turn between two steps.
 */
export function* packetSteps(
  input: Uint8Array | Iterable<Uint8Array> | LateChunks,
  result: ContainerResult,
  onPacket: OnPacket,
): Generator<void, void, void> {
  const cur = new ByteCursor(input instanceof Uint8Array ? [input] : input);
  if (!cur.ensure(4)) yield* cur.more(4);
  const kind = cur.buffered >= 4 ? sniffContainer(cur.slice(0, 4)) : undefined;
  const p: RawPacket = { linkType: 0, t: 0, data: EMPTY, off: 0, len: 0, origLen: 0 };
  if (kind === 'pcap') {
    result.format = 'pcap';
    yield* readPcap(cur, result, p, onPacket);
  } else if (kind === 'pcapng') {
    result.format = 'pcapng';
    yield* readPcapng(cur, result, p, onPacket);
  } else {
    result.findings.push(err('pcap-not-a-capture', 'Not a pcap or pcapng file (unknown magic number).'));
  }
}

function* readPcap(
  cur: ByteCursor,
  result: ContainerResult,
  p: RawPacket,
  onPacket: OnPacket,
): Generator<void, void, void> {
  if (!(cur.ensure(24) || (yield* cur.more(24)))) {
    result.findings.push(err('pcap-truncated', 'The pcap file header is cut short (less than 24 bytes).'));
    return;
  }
  const magicBE = cur.u32(0, false);
  const le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
  const nano = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
  const linkType = cur.u32(20, le) & 0x0fffffff;
  cur.skip(24);
  let n = 0;
  while (cur.ensure(16) || (yield* cur.more(16))) {
    const off = cur.position;
    const sec = cur.u32(0, le);
    const frac = cur.u32(4, le);
    const capLen = cur.u32(8, le);
    const origLen = cur.u32(12, le);
    n++;
    if (capLen > 0x4000000 || !(cur.ensure(16 + capLen) || (yield* cur.more(16 + capLen)))) {
      result.findings.push(
        err(
          'pcap-truncated',
          `Packet ${n} at byte ${off} claims ${capLen} bytes but the file ends first; decoding stopped there.`,
        ),
      );
      return;
    }
    p.linkType = linkType;
    p.t = sec * 1000 + (nano ? frac / 1e6 : frac / 1e3);
    p.data = cur.view;
    p.off = cur.offset(16);
    p.len = capLen;
    p.origLen = Math.max(origLen, capLen);
    cur.skip(16 + capLen);
    onPacket(p);
    if (n % PACKETS_PER_STEP === 0) yield;
  }
  if (cur.ensure(1) || (yield* cur.more(1))) {
    result.findings.push(
      err('pcap-truncated', `The file ends inside a packet header at byte ${cur.position}.`),
    );
  }
}

interface Iface {
  linkType: number;
  /** ticks per second */
  resolution: number;
}

/** Blocks larger than this are not pcapng (a packet block holds at most some 256 KiB of snapshot, options aside). */
const MAX_BLOCK = 0x4000000;

function* readPcapng(
  cur: ByteCursor,
  result: ContainerResult,
  p: RawPacket,
  onPacket: OnPacket,
): Generator<void, void, void> {
  let le = true;
  let ifaces: Iface[] = [];
  let sent = 0;
  while (cur.ensure(12) || (yield* cur.more(12))) {
    const off = cur.position;
    let type = cur.u32(0, le);
    if (type === 0x0a0d0d0a) {
      const bom = cur.u32(8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        result.findings.push(
          err('pcapng-bad-section', `Section header at byte ${off} has an unknown byte-order magic.`),
        );
        return;
      }
      type = 0x0a0d0d0a;
      ifaces = [];
    }
    const len = cur.u32(4, le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK || !(cur.ensure(len) || (yield* cur.more(len)))) {
      result.findings.push(
        err(
          'pcap-truncated',
          `Block at byte ${off} (type 0x${type.toString(16)}) is cut short or malformed; decoding stopped there.`,
        ),
      );
      return;
    }
    // Offsets within the block, relative to the cursor (at the block's start).
    const body = 8;
    const bodyEnd = len - 4;
    if (type === 1 && bodyEnd - body >= 8) {
      const iface: Iface = { linkType: cur.u16(body, le), resolution: 1e6 };
      // options: if_tsresol (9)
      let o = body + 8;
      while (o + 4 <= bodyEnd) {
        const code = cur.u16(o, le);
        const olen = cur.u16(o + 2, le);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = cur.u8(o + 4);
          iface.resolution = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      ifaces.push(iface);
    } else if (type === 6 && bodyEnd - body >= 20) {
      const ifId = cur.u32(body, le);
      const iface = ifaces[ifId];
      const ts = cur.u32(body + 4, le) * 2 ** 32 + cur.u32(body + 8, le);
      const capLen = cur.u32(body + 12, le);
      const origLen = cur.u32(body + 16, le);
      if (!iface) {
        result.findings.push(
          err(
            'pcapng-bad-interface',
            `Packet at byte ${off} names interface ${ifId}, which was not described.`,
          ),
        );
      } else if (body + 20 + capLen > bodyEnd) {
        result.findings.push(
          err('pcap-truncated', `Packet at byte ${off} claims more bytes than its block holds.`),
        );
      } else {
        p.linkType = iface.linkType;
        p.t = (ts / iface.resolution) * 1000;
        p.data = cur.view;
        p.off = cur.offset(body + 20);
        p.len = capLen;
        p.origLen = Math.max(origLen, capLen);
        cur.skip(len);
        onPacket(p);
        if (++sent % PACKETS_PER_STEP === 0) yield;
        continue;
      }
    } else if (type === 3 && bodyEnd - body >= 4) {
      const iface = ifaces[0];
      const origLen = cur.u32(body, le);
      const capLen = Math.min(origLen, bodyEnd - body - 4);
      if (iface) {
        p.linkType = iface.linkType;
        p.t = 0;
        p.data = cur.view;
        p.off = cur.offset(body + 4);
        p.len = capLen;
        p.origLen = origLen;
        cur.skip(len);
        onPacket(p);
        if (++sent % PACKETS_PER_STEP === 0) yield;
        continue;
      }
    }
    cur.skip(len);
  }
  if (cur.ensure(1) || (yield* cur.more(1)))
    result.findings.push(
      err('pcap-truncated', `The file ends inside a block header at byte ${cur.position}.`),
    );
}
