import type { Finding } from '../../../shared/capture/events';

/**
 * The two capture containers tcpdump and Wireshark write: classic pcap (micro- and nanosecond, either byte order)
 * and pcapng (section, interface and packet blocks, per-interface link type and time resolution). Yields raw
 * link-layer packets; never throws on bad input, it stops with a finding saying where.
 */

export interface RawPacket {
  linkType: number;
  /** ms since epoch (fractional). */
  t: number;
  data: Uint8Array;
  /** Original length on the wire: larger than data.length when the capture cut the packet (snaplen). */
  origLen: number;
}

export interface ContainerResult {
  format: 'pcap' | 'pcapng' | 'unknown';
  findings: Finding[];
}

const err = (code: string, message: string): Finding => ({ code, severity: 'error', message });

export function sniffContainer(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const m = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a) return 'pcapng';
  return undefined;
}

export function* readPackets(bytes: Uint8Array, result: ContainerResult): Generator<RawPacket> {
  const kind = sniffContainer(bytes);
  if (kind === 'pcap') {
    result.format = 'pcap';
    yield* readPcap(bytes, result);
  } else if (kind === 'pcapng') {
    result.format = 'pcapng';
    yield* readPcapng(bytes, result);
  } else {
    result.findings.push(err('pcap-not-a-capture', 'Not a pcap or pcapng file (unknown magic number).'));
  }
}

function* readPcap(bytes: Uint8Array, result: ContainerResult): Generator<RawPacket> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) {
    result.findings.push(err('pcap-truncated', 'The pcap file header is cut short (less than 24 bytes).'));
    return;
  }
  const magicBE = dv.getUint32(0, false);
  const le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
  const nano = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  let off = 24;
  let n = 0;
  while (off + 16 <= bytes.length) {
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const capLen = dv.getUint32(off + 8, le);
    const origLen = dv.getUint32(off + 12, le);
    n++;
    if (capLen > 0x4000000 || off + 16 + capLen > bytes.length) {
      result.findings.push(
        err(
          'pcap-truncated',
          `Packet ${n} at byte ${off} claims ${capLen} bytes but the file ends first; decoding stopped there.`,
        ),
      );
      return;
    }
    const t = sec * 1000 + (nano ? frac / 1e6 : frac / 1e3);
    yield {
      linkType,
      t,
      data: bytes.subarray(off + 16, off + 16 + capLen),
      origLen: Math.max(origLen, capLen),
    };
    off += 16 + capLen;
  }
  if (off < bytes.length) {
    result.findings.push(err('pcap-truncated', `The file ends inside a packet header at byte ${off}.`));
  }
}

interface Iface {
  linkType: number;
  /** ticks per second */
  resolution: number;
}

function* readPcapng(bytes: Uint8Array, result: ContainerResult): Generator<RawPacket> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  let le = true;
  let ifaces: Iface[] = [];
  while (off + 12 <= bytes.length) {
    let type = dv.getUint32(off, le);
    if (type === 0x0a0d0d0a) {
      const bom = dv.getUint32(off + 8, true);
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
    const len = dv.getUint32(off + 4, le);
    if (len < 12 || len % 4 !== 0 || off + len > bytes.length) {
      result.findings.push(
        err(
          'pcap-truncated',
          `Block at byte ${off} (type 0x${type.toString(16)}) is cut short or malformed; decoding stopped there.`,
        ),
      );
      return;
    }
    const body = off + 8;
    const bodyEnd = off + len - 4;
    if (type === 1 && bodyEnd - body >= 8) {
      const iface: Iface = { linkType: dv.getUint16(body, le), resolution: 1e6 };
      // options: if_tsresol (9)
      let o = body + 8;
      while (o + 4 <= bodyEnd) {
        const code = dv.getUint16(o, le);
        const olen = dv.getUint16(o + 2, le);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = bytes[o + 4]!;
          iface.resolution = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
        }
        o += 4 + ((olen + 3) & ~3);
      }
      ifaces.push(iface);
    } else if (type === 6 && bodyEnd - body >= 20) {
      const ifId = dv.getUint32(body, le);
      const iface = ifaces[ifId];
      const ts = dv.getUint32(body + 4, le) * 2 ** 32 + dv.getUint32(body + 8, le);
      const capLen = dv.getUint32(body + 12, le);
      const origLen = dv.getUint32(body + 16, le);
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
        yield {
          linkType: iface.linkType,
          t: (ts / iface.resolution) * 1000,
          data: bytes.subarray(body + 20, body + 20 + capLen),
          origLen: Math.max(origLen, capLen),
        };
      }
    } else if (type === 3 && bodyEnd - body >= 4) {
      const iface = ifaces[0];
      const origLen = dv.getUint32(body, le);
      const capLen = Math.min(origLen, bodyEnd - body - 4);
      if (iface)
        yield { linkType: iface.linkType, t: 0, data: bytes.subarray(body + 4, body + 4 + capLen), origLen };
    }
    off += len;
  }
  if (off < bytes.length)
    result.findings.push(err('pcap-truncated', `The file ends inside a block header at byte ${off}.`));
}
