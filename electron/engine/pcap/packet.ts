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
  /** The payload is bytes[start, end): a view of the packet's bytes, no array of its own. */
  bytes: Uint8Array;
  start: number;
  end: number;
  /** Bytes of payload the capture cut off (snaplen). */
  missing: number;
}

/** A segment to fill (decodePacket reuses one for every packet). */
export function emptySegment(): TcpSegment {
  return {
    src: '',
    dst: '',
    srcPort: 0,
    dstPort: 0,
    family: 'IPv4',
    seq: 0,
    ack: 0,
    syn: false,
    fin: false,
    rst: false,
    ackFlag: false,
    bytes: new Uint8Array(0),
    start: 0,
    end: 0,
    missing: 0,
  };
}

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

// Address strings are made once per address, not once per packet (a capture has few addresses, many packets), and
// the two addresses of the last packet are checked before the map (consecutive packets mostly share them).
const v4Names = new Map<number, string>();
let v4A = -1;
let v4AName = '';
let v4B = -1;
let v4BName = '';
function ipv4(b: Uint8Array, o: number): string {
  const n = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  if (n === v4A) return v4AName;
  if (n === v4B) return v4BName;
  let name = v4Names.get(n);
  if (name === undefined) {
    name = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    if (v4Names.size < 65536) v4Names.set(n, name);
  }
  v4B = v4A;
  v4BName = v4AName;
  v4A = n;
  v4AName = name;
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

function linkLayer(
  linkType: number,
  d: Uint8Array,
  b: number,
  len: number,
): { off: number; v: 4 | 6 } | string {
  let etherType: number;
  let off: number;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (len < 14) return 'short ethernet header';
      off = 12;
      etherType = u16(d, b + off);
      off += 2;
      let tags = 0;
      while ((etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100) && tags++ < 4) {
        if (len < off + 4) return 'short VLAN tag';
        etherType = u16(d, b + off + 2);
        off += 4;
      }
      break;
    }
    case LINKTYPE.LINUX_SLL:
      if (len < 16) return 'short Linux cooked header';
      etherType = u16(d, b + 14);
      off = 16;
      break;
    case LINKTYPE.LINUX_SLL2:
      if (len < 20) return 'short Linux cooked v2 header';
      etherType = u16(d, b + 0);
      off = 20;
      break;
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (len < 4) return 'short loopback header';
      // BSD loopback: address family in host (NULL) or network (LOOP) byte order.
      const le = d[b + 0]! | (d[b + 1]! << 8) | (d[b + 2]! << 16) | (d[b + 3]! << 24);
      const be = (d[b + 0]! << 24) | (d[b + 1]! << 16) | (d[b + 2]! << 8) | d[b + 3]!;
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
      const v = (len > 0 ? d[b]! : 0) >> 4;
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

/**
 * The packet is d[b, b + len) (a view into the file's chunk, not a copy or subarray of its own).
 * Fills `seg` from the packet and returns undefined, or returns why the packet is not decodable TCP (seg is then
 * partly filled). `seg` is the caller's, reused packet after packet: a capture holds millions.
 */
export function decodePacket(
  linkType: number,
  d: Uint8Array,
  b: number,
  len: number,
  origLen: number,
  seg: TcpSegment,
): string | undefined {
  const ll = linkLayer(linkType, d, b, len);
  if (typeof ll === 'string') return ll;
  let o = ll.off;
  let src: string;
  let dst: string;
  let proto: number;
  let end: number;
  let missing = Math.max(0, origLen - len);
  if (ll.v === 4) {
    if (len < o + 20) return 'short IPv4 header';
    const ihl = (d[b + o]! & 0x0f) * 4;
    const total = (d[b + o + 2]! << 8) | d[b + o + 3]!;
    const frag = ((d[b + o + 6]! << 8) | d[b + o + 7]!) & 0x3fff;
    if (ihl < 20) return 'bad IPv4 header length';
    if (frag !== 0) return 'fragmented IPv4 packet';
    proto = d[b + o + 9]!;
    src = ipv4(d, b + o + 12);
    dst = ipv4(d, b + o + 16);
    // total may be 0 with TCP segmentation offload; then trust the captured length.
    end = total === 0 ? len + missing : o + total;
    o += ihl;
  } else {
    if (len < o + 40) return 'short IPv6 header';
    const payloadLen = (d[b + o + 4]! << 8) | d[b + o + 5]!;
    proto = d[b + o + 6]!;
    src = ipv6(d, b + o + 8);
    dst = ipv6(d, b + o + 24);
    end = payloadLen === 0 ? len + missing : o + 40 + payloadLen;
    o += 40;
    // Extension headers: hop-by-hop, routing, destination options; a fragment header means we cannot reassemble.
    let hops = 0;
    while ((proto === 0 || proto === 43 || proto === 60 || proto === 44) && hops++ < 8) {
      if (proto === 44) return 'fragmented IPv6 packet';
      if (len < o + 8) return 'short IPv6 extension header';
      proto = d[b + o]!;
      o += (d[b + o + 1]! + 1) * 8;
    }
  }
  if (proto !== 6) return `not TCP (IP protocol ${proto})`;
  if (len < o + 20) return 'short TCP header';
  const dataOff = (d[b + o + 12]! >> 4) * 4;
  if (dataOff < 20) return 'bad TCP header length';
  const flags = d[b + o + 13]!;
  const start = Math.min(len, o + dataOff);
  const stop = Math.min(len, Math.max(start, end));
  // Ethernet padding beyond the IP length is not payload; bytes the capture cut off are missing.
  missing = Math.max(0, end - len);
  seg.src = src;
  seg.dst = dst;
  seg.family = ll.v === 4 ? 'IPv4' : 'IPv6';
  seg.srcPort = (d[b + o]! << 8) | d[b + o + 1]!;
  seg.dstPort = (d[b + o + 2]! << 8) | d[b + o + 3]!;
  seg.seq = u32(d, b + o + 4);
  seg.ack = u32(d, b + o + 8);
  seg.fin = (flags & 0x01) !== 0;
  seg.syn = (flags & 0x02) !== 0;
  seg.rst = (flags & 0x04) !== 0;
  seg.ackFlag = (flags & 0x10) !== 0;
  seg.bytes = d;
  seg.start = b + start;
  seg.end = b + stop;
  seg.missing = missing;
  return undefined;
}
