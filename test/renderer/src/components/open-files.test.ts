import { describe, expect, it } from 'vitest';
import { isBinaryCapture } from '../../../../renderer/src/components/open-files';

describe('opening files in serve mode', () => {
  it('sends pcap and pcapng as base64, by name or by magic number', () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(isBinaryCapture('x.pcap', bytes())).toBe(true);
    expect(isBinaryCapture('x.PCAPNG', bytes())).toBe(true);
    expect(isBinaryCapture('dump', bytes(0xd4, 0xc3, 0xb2, 0xa1))).toBe(true);
    expect(isBinaryCapture('dump', bytes(0x0a, 0x0d, 0x0d, 0x0a))).toBe(true);
    expect(isBinaryCapture('dump', bytes(0x4d, 0x3c, 0xb2, 0xa1))).toBe(true);
  });

  it('sends captures and HAR as text', () => {
    const text = new TextEncoder().encode('{"format":"ocpp-scope-capture"}');
    expect(isBinaryCapture('session.ocppcap.jsonl', text)).toBe(false);
    expect(isBinaryCapture('devtools.har', new TextEncoder().encode('{"log":{}}'))).toBe(false);
  });
});
