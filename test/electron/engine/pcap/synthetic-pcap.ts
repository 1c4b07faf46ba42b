/**
 * Test helper: a classic pcap (Ethernet, IPv4, one TCP connection on port 9000) holding a WebSocket upgrade and
 * then the given bytes of each side, each cut into TCP segments of at most `segment` bytes.
 */
export interface Sent {
  fromClient: boolean;
  bytes: Uint8Array;
}

const enc = new TextEncoder();

/** A WebSocket frame: a final text frame unless `opcode` (0 continuation, 2 binary, 9 ping...) or `fin` say otherwise. */
export function wsFrame(
  payload: Uint8Array,
  opts: { masked: boolean; compressed?: boolean; opcode?: number; fin?: boolean },
): Uint8Array {
  const hdr = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
  const f = new Uint8Array(hdr + (opts.masked ? 4 : 0) + payload.length);
  f[0] = ((opts.fin ?? true) ? 0x80 : 0) | (opts.compressed ? 0x40 : 0) | (opts.opcode ?? 1);
  if (hdr === 2) f[1] = payload.length;
  else if (hdr === 4) {
    f[1] = 126;
    f[2] = payload.length >> 8;
    f[3] = payload.length & 0xff;
  } else {
    f[1] = 127;
    new DataView(f.buffer).setUint32(6, payload.length);
  }
  if (!opts.masked) {
    f.set(payload, hdr);
    return f;
  }
  f[1]! |= 0x80;
  const mask = [0x11, 0x22, 0x33, 0x44];
  f.set(mask, hdr);
  for (let i = 0; i < payload.length; i++) f[hdr + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return f;
}

export function syntheticPcap(sent: Sent[], segment: number, extensions = ''): Uint8Array {
  const parts = [...syntheticPcapParts(sent, segment, extensions)];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** syntheticPcap's bytes piece by piece, for files too big to build in memory (`sent` may be a generator). */
export function* syntheticPcapParts(
  sent: Iterable<Sent>,
  segment: number,
  extensions = '',
): Generator<Uint8Array> {
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 262144, true);
  hv.setUint32(20, 1, true);
  yield header;
  let usec = 0;
  const seqs = { c: 1000, s: 5000 };
  const packet = (fromClient: boolean, payload: Uint8Array, flags: number): Uint8Array => {
    const rec = new Uint8Array(16 + 54 + payload.length);
    const d = rec.subarray(16);
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    v.setUint16(12, 0x0800);
    d[14] = 0x45;
    v.setUint16(16, 40 + payload.length);
    d[22] = 64;
    d[23] = 6;
    d.set([127, 0, 0, 1], 26);
    d.set([127, 0, 0, 1], 30);
    v.setUint16(34, fromClient ? 50000 : 9000);
    v.setUint16(36, fromClient ? 9000 : 50000);
    const key = fromClient ? 'c' : 's';
    v.setUint32(38, seqs[key]);
    v.setUint32(42, fromClient ? seqs.s : seqs.c);
    d[46] = 5 << 4;
    d[47] = flags;
    d.set(payload, 54);
    seqs[key] = (seqs[key] + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
    const rv = new DataView(rec.buffer, 0, 16);
    rv.setUint32(0, 1_700_000_000, true);
    rv.setUint32(4, usec++, true);
    rv.setUint32(8, d.length, true);
    rv.setUint32(12, d.length, true);
    return rec;
  };
  yield packet(true, new Uint8Array(0), 0x02);
  yield packet(false, new Uint8Array(0), 0x12);
  const upgrade = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: ocpp1.6\r\n';
  yield packet(true, enc.encode(`GET /ocpp/CP1 HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n`), 0x18);
  const ext = extensions ? `Sec-WebSocket-Extensions: ${extensions}\r\n` : '';
  yield packet(false, enc.encode(`HTTP/1.1 101 Switching Protocols\r\n${upgrade}${ext}\r\n`), 0x18);
  for (const s of sent)
    for (let o = 0; o < s.bytes.length; o += segment)
      yield packet(s.fromClient, s.bytes.subarray(o, o + segment), 0x18);
}
