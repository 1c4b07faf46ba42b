/** Test helper: read and write classic pcap records so one real capture can be turned into many link layers/orders. */
export interface Rec {
  sec: number;
  usec: number;
  data: Uint8Array;
  origLen: number;
}

export function readPcap(buf: Uint8Array): { linkType: number; recs: Rec[] } {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== 0xa1b2c3d4)
    throw new Error('helper reads little-endian microsecond pcap only');
  const linkType = dv.getUint32(20, true);
  const recs: Rec[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const cap = dv.getUint32(off + 8, true);
    recs.push({
      sec: dv.getUint32(off, true),
      usec: dv.getUint32(off + 4, true),
      origLen: dv.getUint32(off + 12, true),
      data: buf.slice(off + 16, off + 16 + cap),
    });
    off += 16 + cap;
  }
  return { linkType, recs };
}

export function writePcap(linkType: number, recs: Rec[]): Uint8Array {
  const total = 24 + recs.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, linkType, true);
  let off = 24;
  for (const r of recs) {
    dv.setUint32(off, r.sec, true);
    dv.setUint32(off + 4, r.usec, true);
    dv.setUint32(off + 8, r.data.length, true);
    dv.setUint32(off + 12, Math.max(r.origLen, r.data.length), true);
    out.set(r.data, off + 16);
    off += 16 + r.data.length;
  }
  return out;
}

/** Ethernet payload (IP) of a record captured on Linux lo (DLT_EN10MB). */
export function ipOf(r: Rec): Uint8Array {
  return r.data.subarray(14);
}

export function ethertypeOf(ip: Uint8Array): number {
  return ip[0]! >> 4 === 6 ? 0x86dd : 0x0800;
}

export function toRaw(recs: Rec[]): Rec[] {
  return recs.map((r) => ({ ...r, data: ipOf(r).slice(), origLen: r.origLen - 14 }));
}

export function toVlan(recs: Rec[]): Rec[] {
  return recs.map((r) => {
    const ip = ipOf(r);
    const d = new Uint8Array(18 + ip.length);
    d.set(r.data.subarray(0, 12));
    d.set([0x81, 0x00, 0x00, 0x2a], 12);
    const et = ethertypeOf(ip);
    d.set([et >> 8, et & 0xff], 16);
    d.set(ip, 18);
    return { ...r, data: d, origLen: r.origLen + 4 };
  });
}

export function toSll(recs: Rec[]): Rec[] {
  return recs.map((r) => {
    const ip = ipOf(r);
    const d = new Uint8Array(16 + ip.length);
    d.set([0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
    const et = ethertypeOf(ip);
    d.set([et >> 8, et & 0xff], 14);
    d.set(ip, 16);
    return { ...r, data: d, origLen: r.origLen + 2 };
  });
}

/** TCP payload length of an Ethernet/IPv4-or-IPv6 record. */
export function tcpPayloadLength(r: Rec): number {
  const ip = ipOf(r);
  if (ip[0]! >> 4 === 4) {
    const ihl = (ip[0]! & 15) * 4;
    const total = (ip[2]! << 8) | ip[3]!;
    return total - ihl - (ip[ihl + 12]! >> 4) * 4;
  }
  const plen = (ip[4]! << 8) | ip[5]!;
  return plen - (ip[40 + 12]! >> 4) * 4;
}

export function toSll2(recs: Rec[]): Rec[] {
  return recs.map((r) => {
    const ip = ipOf(r);
    const d = new Uint8Array(20 + ip.length);
    const et = ethertypeOf(ip);
    d.set([et >> 8, et & 0xff, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
    d.set(ip, 20);
    return { ...r, data: d, origLen: r.origLen + 6 };
  });
}
