import { describe, expect, it } from 'vitest';
import { decodePcap } from '../../../../electron/engine/pcap/pcap-import';
import type { FrameEvent } from '../../../../shared/capture/events';
import { syntheticPcap, wsFrame } from './synthetic-pcap';

const enc = new TextEncoder();

describe('pcap import: what the decode finds in a frame survives its analysis', () => {
  it('an unmasked station frame and invalid UTF-8 keep their findings beside the analysis', () => {
    const bad = enc.encode('[2,"2","DataTransfer",{"vendorId":"x","data":"\u00e9"}]');
    // Cut the two-byte é in half: invalid UTF-8, still JSON once decoded with a replacement character.
    const invalid = new Uint8Array([...bad.subarray(0, bad.length - 4), ...enc.encode('"}]')]);
    const pcap = syntheticPcap(
      [
        { fromClient: true, bytes: wsFrame(enc.encode('[2,"1","Heartbeat",{}]'), { masked: false }) },
        { fromClient: true, bytes: wsFrame(invalid, { masked: true }) },
      ],
      1000,
    );
    const frames = decodePcap(pcap).events.filter((e): e is FrameEvent => e.kind === 'frame');
    expect(frames).toHaveLength(2);
    expect(frames[0]!.findings.map((f) => f.code)).toContain('ws-unmasked-client-frame');
    expect(frames[0]!.msg?.action).toBe('Heartbeat');
    expect(frames[1]!.findings.map((f) => f.code)).toContain('ws-invalid-utf8');
    expect(frames[1]!.msg?.action).toBe('DataTransfer');
  });
});
