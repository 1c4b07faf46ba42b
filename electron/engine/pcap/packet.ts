/**
 * Link layer, IP and TCP headers: from a raw packet to a TCP segment (addresses, ports, flags, payload). Returns a
 * reason string instead of a segment for anything that is not decodable TCP, so the importer can count and report.
 */

export interface TcpSegment {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  family: 'IPv4' | 'IPv6';
  seq: number;
  ack: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  ackFlag: boolean;
  payload: Uint8Array;
  /** Bytes of payload the capture cut off (snaplen). */
  missing: number;
}

export type Decoded = { ok: true; seg: TcpSegment } | { ok: false; reason: string };

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  RAW_ALT12: 12,
  RAW_ALT14: 14,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
  LOOP: 108,
} as const;

// Address strings are made once per address, not once per packet (a capture has few addresses, many packets).
const v4Names = new Map<number, string>();
function ipv4(b: Uint8Array, o: number): string {
  const n = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  let name = v4Names.get(n);
  if (name === undefined) {
    name = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    if (v4Names.size < 65536) v4Names.set(n, name);
  }
  return name;
}

function ipv6(b: Uint8Array, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[o + i]! << 8) | b[o + i + 1]!).toString(16));
  // Compress the longest run of zero groups, as people write them.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return parts.join(':');
  return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

/** Returns the offset of the IP header and its ethertype-like family, or a reason. */
function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, p: number): number {
  return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
}

const IPV4_AT_14 = { off: 14, v: 4 } as const;

function linkLayer(linkType: number, d: Uint8Array): { off: number; v: 4 | 6 } | string {
  let etherType: number;
  let off: number;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (d.length < 14) return 'short ethernet header';
      off = 12;
      etherType = u16(d, off);
      off += 2;
      let tags = 0;
      while ((etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100) && tags++ < 4) {
        if (d.length < off + 4) return 'short VLAN tag';
        etherType = u16(d, off + 2);
        off += 4;
      }
      break;
    }
    case LINKTYPE.LINUX_SLL:
      if (d.length < 16) return 'short Linux cooked header';
      etherType = u16(d, 14);
      off = 16;
      break;
    case LINKTYPE.LINUX_SLL2:
      if (d.length < 20) return 'short Linux cooked v2 header';
      etherType = u16(d, 0);
      off = 20;
      break;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (d.length < 4) return 'short loopback header';
      // BSD loopback: address family in host (NULL) or network (LOOP) byte order.
      const le = d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24);
      const be = (d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!;
      const af = linkType === LINKTYPE.LOOP ? be : le === 2 || le > 16 ? le : be;
      if (af === 2) return { off: 4, v: 4 };
      if (af === 24 || af === 28 || af === 30 || af === 10) return { off: 4, v: 6 };
      return `loopback address family ${af}`;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_ALT12:
    case LINKTYPE.RAW_ALT14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6: {
      const v = (d[0] ?? 0) >> 4;
      if (v === 4 || v === 6) return { off: 0, v };
      return 'raw packet that is neither IPv4 nor IPv6';
    }
    default:
      return `unsupported link type ${linkType}`;
  }
  if (etherType === 0x0800) return off === 14 ? IPV4_AT_14 : { off, v: 4 };
  if (etherType === 0x86dd) return { off, v: 6 };
  return `not IP (ethertype 0x${etherType.toString(16)})`;
}

export function decodePacket(linkType: number, d: Uint8Array, origLen: number): Decoded {
  const ll = linkLayer(linkType, d);
  if (typeof ll === 'string') return { ok: false, reason: ll };
  let o = ll.off;
  let src: string;
  let dst: string;
  let proto: number;
  let end: number;
  let missing = Math.max(0, origLen - d.length);
  if (ll.v === 4) {
    if (d.length < o + 20) return { ok: false, reason: 'short IPv4 header' };
    const ihl = (d[o]! & 0x0f) * 4;
    const total = (d[o + 2]! << 8) | d[o + 3]!;
    const frag = ((d[o + 6]! << 8) | d[o + 7]!) & 0x3fff;
    if (ihl < 20) return { ok: false, reason: 'bad IPv4 header length' };
    if (frag !== 0) return { ok: false, reason: 'fragmented IPv4 packet' };
    proto = d[o + 9]!;
    src = ipv4(d, o + 12);
    dst = ipv4(d, o + 16);
    // total may be 0 with TCP segmentation offload; then trust the captured length.
    end = total === 0 ? d.length + missing : o + total;
    o += ihl;
  } else {
    if (d.length < o + 40) return { ok: false, reason: 'short IPv6 header' };
    const payloadLen = (d[o + 4]! << 8) | d[o + 5]!;
    proto = d[o + 6]!;
    src = ipv6(d, o + 8);
    dst = ipv6(d, o + 24);
    end = payloadLen === 0 ? d.length + missing : o + 40 + payloadLen;
    o += 40;
    // Extension headers: hop-by-hop, routing, destination options; a fragment header means we cannot reassemble.
    let hops = 0;
    while ((proto === 0 || proto === 43 || proto === 60 || proto === 44) && hops++ < 8) {
      if (proto === 44) return { ok: false, reason: 'fragmented IPv6 packet' };
      if (d.length < o + 8) return { ok: false, reason: 'short IPv6 extension header' };
      proto = d[o]!;
      o += (d[o + 1]! + 1) * 8;
    }
  }
  if (proto !== 6) return { ok: false, reason: `not TCP (IP protocol ${proto})` };
  if (d.length < o + 20) return { ok: false, reason: 'short TCP header' };
  const dataOff = (d[o + 12]! >> 4) * 4;
  if (dataOff < 20) return { ok: false, reason: 'bad TCP header length' };
  const flags = d[o + 13]!;
  const start = Math.min(d.length, o + dataOff);
  const stop = Math.min(d.length, Math.max(start, end));
  // Ethernet padding beyond the IP length is not payload; bytes the capture cut off are missing.
  missing = Math.max(0, end - d.length);
  return {
    ok: true,
    seg: {
      src,
      dst,
      family: ll.v === 4 ? 'IPv4' : 'IPv6',
      srcPort: (d[o]! << 8) | d[o + 1]!,
      dstPort: (d[o + 2]! << 8) | d[o + 3]!,
      seq: u32(d, o + 4),
      ack: u32(d, o + 8),
      fin: (flags & 0x01) !== 0,
      syn: (flags & 0x02) !== 0,
      rst: (flags & 0x04) !== 0,
      ackFlag: (flags & 0x10) !== 0,
      payload: d.subarray(start, stop),
      missing,
    },
  };
}
