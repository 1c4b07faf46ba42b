import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../shared/capture/events';
import { WsDecoder } from '../../../../electron/engine/pcap/ws-decoder';
import type { WsMessage } from '../../../../electron/engine/pcap/ws-decoder';
import { wsFrame } from './synthetic-pcap';

/** A server-to-client text frame (unmasked), optionally not final. */
function frame(text: string, opts: { fin?: boolean; opcode?: number } = {}): Uint8Array {
  const payload = Buffer.from(text);
  const head = [((opts.fin ?? true) ? 0x80 : 0) | (opts.opcode ?? 1), payload.length];
  return new Uint8Array([...head, ...payload]);
}

/** A decoder of one side (the CSMS's unless `fromClient`), collecting what it emits and finds. */
function decoder(fromClient = false) {
  const messages: WsMessage[] = [];
  const findings: Finding[] = [];
  const d = new WsDecoder(
    fromClient,
    () => false,
    (m) => messages.push(m),
    (f) => findings.push(f),
  );
  return { d, messages, findings };
}

describe('WsDecoder at the end of the stream', () => {
  it('says a message was cut off when the capture ends inside a frame', () => {
    const { d, messages, findings } = decoder();
    d.push(frame('[3,"a",{}]'), 1);
    d.push(frame('[2,"b","Heartbeat",{}]').subarray(0, 7), 2);
    d.end();
    expect(messages).toHaveLength(1);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'pcap-cut-off',
        severity: 'warning',
        message: expect.stringContaining('CSMS'),
      }),
    ]);
    expect(findings[0]!.message).toContain('7 byte(s)');
  });

  it('says a message was cut off when the capture ends between the fragments of one message', () => {
    const { d, messages, findings } = decoder();
    d.push(frame('[2,"b",', { fin: false }), 1);
    d.end();
    expect(messages).toEqual([]);
    expect(findings.map((f) => f.code)).toEqual(['pcap-cut-off']);
  });

  it('says nothing when the stream ends between messages, and only once', () => {
    const { d, findings } = decoder();
    d.push(frame('[3,"a",{}]'), 1);
    d.end();
    d.end();
    expect(findings).toEqual([]);
  });
});

describe('WsDecoder: the text of text messages', () => {
  const enc = new TextEncoder();
  const texts = [
    '[2,"1","Heartbeat",{}]',
    '[2,"2","DataTransfer",{"vendorId":"x","data":"Gr\u00fc\u00dfe \u20ac \u{1f50c}"}]',
    `[3,"3",{"data":"${'x'.repeat(300)}"}]`,
    '',
  ];

  it('is the UTF-8 text of the message, masked or not, whole or fragmented, fed in any pieces', () => {
    for (const masked of [false, true])
      for (const fragmented of [false, true])
        for (const step of [1, 3, 1000]) {
          const { d, messages, findings } = decoder(masked);
          const frames = texts.flatMap((s) => {
            const b = enc.encode(s);
            if (!fragmented || b.length < 2) return [wsFrame(b, { opcode: 1, fin: true, masked })];
            const cut = b.length >> 1;
            return [
              wsFrame(b.subarray(0, cut), { opcode: 1, fin: false, masked }),
              wsFrame(b.subarray(cut), { opcode: 0, fin: true, masked }),
            ];
          });
          const stream = Buffer.concat(frames);
          // Each piece as a view inside a larger array, as TCP segments lie in the capture.
          const padded = new Uint8Array(stream.length + 8);
          padded.set(stream, 4);
          for (let o = 0; o < stream.length; o += step)
            d.push(padded, o, 4 + o, 4 + Math.min(stream.length, o + step));
          expect(findings).toEqual([]);
          expect(messages.map((m) => (m.kind === 'text' ? m.text : m.kind))).toEqual(texts);
          expect(messages.every((m) => m.kind === 'text' && m.findings.length === 0)).toBe(true);
        }
  });

  it('invalid UTF-8 is shown with replacement characters and a finding on that message only', () => {
    const { d, messages } = decoder(true);
    const bad = new Uint8Array([0x5b, 0x22, 0xc3, 0x22, 0x5d]);
    d.push(
      Buffer.concat([
        wsFrame(bad, { opcode: 1, fin: true, masked: true }),
        wsFrame(enc.encode('[]'), { opcode: 1, fin: true, masked: true }),
      ]),
      1,
    );
    expect(messages.map((m) => m.kind === 'text' && m.text)).toEqual(['["\ufffd"]', '[]']);
    expect(messages.map((m) => (m.kind === 'text' ? m.findings.map((f) => f.code) : []))).toEqual([
      ['ws-invalid-utf8'],
      [],
    ]);
  });

  it('binary messages and pings keep their bytes after later frames reuse the scratch space', () => {
    const { d, messages } = decoder(true);
    const bin = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    d.push(wsFrame(bin, { opcode: 2, fin: true, masked: true }), 1);
    d.push(wsFrame(enc.encode('ping!'), { opcode: 9, fin: true, masked: true }), 2);
    for (let i = 0; i < 2000; i++)
      d.push(wsFrame(enc.encode(`[2,"${i}","Heartbeat",{}]`), { opcode: 1, fin: true, masked: true }), 3);
    expect(messages[0]!.kind === 'binary' && [...messages[0]!.data]).toEqual([...bin]);
    expect(messages[1]!.kind === 'ping' && Buffer.from(messages[1]!.data).toString()).toBe('ping!');
    expect(messages).toHaveLength(2002);
  });
});
