import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../shared/capture/events';
import { WsDecoder } from '../../../../electron/engine/pcap/ws-decoder';
import type { WsMessage } from '../../../../electron/engine/pcap/ws-decoder';

/** A server-to-client text frame (unmasked), optionally not final. */
function frame(text: string, opts: { fin?: boolean; opcode?: number } = {}): Uint8Array {
  const payload = Buffer.from(text);
  const head = [((opts.fin ?? true) ? 0x80 : 0) | (opts.opcode ?? 1), payload.length];
  return new Uint8Array([...head, ...payload]);
}

function decoder() {
  const messages: WsMessage[] = [];
  const findings: Finding[] = [];
  const d = new WsDecoder(
    false,
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
