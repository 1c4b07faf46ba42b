import type { ScopeEvent } from '../../shared/capture/events';
import { encodeCapture, makeHeader } from '../../shared/capture/format';
import { eventsToHar } from '../../shared/capture/har';
import { frame, opened, session } from '../electron/engine/capture/fixtures';

/**
 * Seeds and mutators for the file fuzzers: a realistic capture, HAR and pcap built here (no fixtures on disk), and
 * deterministic mutations of them (bit flips, byte edits, cut and repeated spans, JSON values swapped for hostile
 * ones), so a failing input is reproduced from its seed alone.
 */

/** xorshift32: small, fast and deterministic. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s >>> 0;
    return this.s;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

function seedEvents(): ScopeEvent[] {
  const events = session('c1', 'CP-1', 12);
  let seq = events.length;
  const t = 1_700_000_100_000;
  const at = (n: number): { seq: number; t: number; mono: number; conn: string } => ({
    seq: seq++,
    t: t + n,
    mono: n,
    conn: 'c1',
  });
  events.push(
    frame(seq++, 'c1', 'csms', '[2,"k","ChangeConfiguration",{"key":"AuthorizationKey","value":"00ff"}]'),
    frame(seq++, 'c1', 'station', '[3,"k",{"status":"Accepted"}]', {
      pair: { partnerSeq: seq - 2, rttMs: 4 },
    }),
    {
      kind: 'frame',
      ...at(9),
      sender: 'station',
      text: '[2,"bad",',
      problem: { code: 'not-json', message: 'not JSON', errorCode: 'FormationViolation', position: 9 },
      findings: [{ code: 'frame-not-json', severity: 'error', message: 'not JSON' }],
    },
    { kind: 'ping', ...at(10), sender: 'csms', data: '01' },
    { kind: 'pong', ...at(11), sender: 'station', data: '01', rttMs: 1 },
    { kind: 'note', ...at(12), source: 'engine', text: 'n', findings: [] },
    { kind: 'error', ...at(13), code: 'send-failed', message: 'm' },
    { kind: 'closed', ...at(14), code: 1000, reason: '', by: 'remote', clean: true },
    opened(seq++, 'c1', 'CP-1', t + 20),
    frame(seq++, 'c1', 'station', '[2,"h","Heartbeat",{}]'),
  );
  return events;
}

export function seedCapture(): string {
  const events = seedEvents();
  return (
    encodeCapture(makeHeader('fuzz', [opened(0, 'c1', 'CP-1').connection]), events) + verbatimLine(events)
  );
}

/**
 * A format-2 frame line with its text verbatim, as the recorder writes a long parsed frame (see
 * docs/capture-format.md): mutations then hit its length, its key and its unescaped text too.
 */
function verbatimLine(events: ScopeEvent[]): string {
  const values = Array.from(
    { length: 6 },
    (_, i) => `{"value":"${i}.5","unit":"Wh","note":"é€😀 \\" \\u0041"}`,
  );
  const text = `[2,"mv","MeterValues",{"connectorId":1,"meterValue":[{"sampledValue":[${values.join(',')}]}]}]`;
  const { text: _text, ...rest } = frame(events.length, 'c1', 'station', text);
  const n = new TextEncoder().encode(text).length;
  return `{"textBytes":${n},${JSON.stringify(rest).slice(1, -1)},"textJson":${text}}\n`;
}

export function seedHar(): string {
  return eventsToHar(seedEvents());
}

// ---- pcap: Ethernet / IPv4 / TCP carrying one WebSocket upgrade and a few frames each way ----

function wsFrame(text: string, masked: boolean): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const len = payload.length;
  const head: number[] = [0x81];
  if (len < 126) head.push((masked ? 0x80 : 0) | len);
  else head.push((masked ? 0x80 : 0) | 126, len >> 8, len & 0xff);
  const mask = [1, 2, 3, 4];
  if (masked) head.push(...mask);
  const out = new Uint8Array(head.length + len);
  out.set(head);
  for (let i = 0; i < len; i++) out[head.length + i] = masked ? payload[i]! ^ mask[i % 4]! : payload[i]!;
  return out;
}

function packet(fromClient: boolean, seq: number, ack: number, flags: number, data: Uint8Array): Uint8Array {
  const eth = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00];
  const total = 20 + 20 + data.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0];
  ip.push(...(fromClient ? [127, 0, 0, 1, 127, 0, 0, 2] : [127, 0, 0, 2, 127, 0, 0, 1]));
  const [sp, dp] = fromClient ? [50000, 9000] : [9000, 50000];
  const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const tcp = [
    sp >> 8,
    sp & 0xff,
    dp >> 8,
    dp & 0xff,
    ...be32(seq),
    ...be32(ack),
    0x50,
    flags,
    0xff,
    0xff,
    0,
    0,
    0,
    0,
  ];
  const out = new Uint8Array(eth.length + ip.length + tcp.length + data.length);
  out.set(eth);
  out.set(ip, eth.length);
  out.set(tcp, eth.length + ip.length);
  out.set(data, eth.length + ip.length + tcp.length);
  return out;
}

export function seedPcap(): Uint8Array {
  const enc = new TextEncoder();
  const records: Uint8Array[] = [];
  let cseq = 1000;
  let sseq = 5000;
  const send = (fromClient: boolean, data: Uint8Array, flags = 0x18): void => {
    records.push(packet(fromClient, fromClient ? cseq : sseq, fromClient ? sseq : cseq, flags, data));
    if (fromClient) cseq += data.length;
    else sseq += data.length;
  };
  records.push(packet(true, cseq++, 0, 0x02, new Uint8Array()));
  records.push(packet(false, sseq++, cseq, 0x12, new Uint8Array()));
  send(
    true,
    enc.encode(
      'GET /ocpp/CP-1 HTTP/1.1\r\nHost: 127.0.0.2:9000\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n',
    ),
  );
  send(
    false,
    enc.encode(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n',
    ),
  );
  send(true, wsFrame('[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]', true));
  send(
    false,
    wsFrame('[3,"1",{"status":"Accepted","currentTime":"2024-01-01T00:00:00Z","interval":300}]', false),
  );
  send(true, wsFrame('[2,"2","Heartbeat",{}]', true));
  send(false, wsFrame('[3,"2",{"currentTime":"2024-01-01T00:00:00Z"}]', false));
  send(true, new Uint8Array([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2]));
  const parts: Uint8Array[] = [];
  const global = new DataView(new ArrayBuffer(24));
  global.setUint32(0, 0xa1b2c3d4, true);
  global.setUint16(4, 2, true);
  global.setUint16(6, 4, true);
  global.setUint32(16, 65535, true);
  global.setUint32(20, 1, true);
  parts.push(new Uint8Array(global.buffer));
  records.forEach((r, i) => {
    const h = new DataView(new ArrayBuffer(16));
    h.setUint32(0, 1_700_000_000 + i, true);
    h.setUint32(8, r.length, true);
    h.setUint32(12, r.length, true);
    parts.push(new Uint8Array(h.buffer), r);
  });
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---- mutations ----

const HOSTILE_VALUES = [
  'null',
  '[]',
  '{}',
  '-1',
  '1e308',
  '"x"',
  'true',
  '[null]',
  '{"code":null}',
  '"\\ud800"',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
];

/** Replaces one JSON value (after a `:` or `,` or `[`) with a hostile one: type confusion, nulls, deep nesting. */
function swapValue(text: string, rng: Rng): string {
  for (let tries = 0; tries < 8; tries++) {
    const at = rng.int(text.length);
    const c = text[at];
    if (c !== ':' && c !== ',' && c !== '[') continue;
    const start = at + 1;
    let end = start;
    const first = text[start];
    if (first === '"') {
      end = start + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end++;
    } else if (first === '{' || first === '[') {
      end = start + 1 + rng.int(40);
    } else {
      while (end < text.length && !',}]\n'.includes(text[end]!)) end++;
    }
    return text.slice(0, start) + rng.pick(HOSTILE_VALUES) + text.slice(Math.min(end, text.length));
  }
  return text;
}

/** Deletes one `"key":value` member (a missing field). */
function dropMember(text: string, rng: Rng): string {
  const at = text.indexOf(',"', rng.int(text.length));
  if (at < 0) return text;
  const colon = text.indexOf(':', at);
  const next = text.indexOf(',', colon + 1);
  if (colon < 0 || next < 0) return text;
  return text.slice(0, at) + text.slice(next);
}

export function mutateBytes(input: Uint8Array, rng: Rng): Uint8Array {
  const b = Uint8Array.from(input);
  const n = 1 + rng.int(4);
  let out = b;
  for (let k = 0; k < n; k++) {
    const op = rng.int(6);
    const at = rng.int(out.length);
    if (op <= 1) out[at] = (out[at]! ^ (1 << rng.int(8))) & 0xff;
    else if (op === 2) out[at] = rng.int(256);
    else if (op === 3)
      out = out.slice(0, at); // truncated
    else if (op === 4) {
      const len = 1 + rng.int(64);
      const copy = out.slice(at, at + len);
      const merged = new Uint8Array(out.length + copy.length);
      merged.set(out.subarray(0, at));
      merged.set(copy, at);
      merged.set(out.subarray(at), at + copy.length);
      out = merged;
    } else {
      const len = 1 + rng.int(64);
      out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + len))]);
    }
  }
  return out;
}

/** A mutated copy of a text file: byte-level damage or JSON-aware damage, as the seed says. */
export function mutateText(input: string, rng: Rng): Uint8Array {
  const op = rng.int(4);
  if (op === 0) return new TextEncoder().encode(swapValue(input, rng));
  if (op === 1) return new TextEncoder().encode(dropMember(input, rng));
  return mutateBytes(new TextEncoder().encode(input), rng);
}
