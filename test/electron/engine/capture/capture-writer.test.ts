import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureWriter } from '../../../../electron/engine/capture/capture-writer';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { encodeEvent } from '../../../../shared/capture/format';
import { testTempDir } from '../../../support/temp-dirs';

function frame(seq: number, text: string): ScopeEvent {
  return { kind: 'frame', conn: 'c1', sender: 'station', text, findings: [], seq, t: 1000 + seq, mono: seq };
}

/** The file's lines after its header. */
function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(1, -1);
}

describe('CaptureWriter', () => {
  it('writes each event as the line encodeEvent gives, byte for byte, whatever its characters and size', () => {
    const w = new CaptureWriter({ folder: testTempDir('cw'), name: 'rec', tool: 't' });
    const texts = [
      '[2,"1","Heartbeat",{}]',
      '[2,"2","DataTransfer",{"vendorId":"Äöü ✓ 😀 \\u0000","data":"line\\nbreak \\"quoted\\""}]',
      `[2,"3","DataTransfer",{"vendorId":"big","data":"${'é'.repeat(300_000)}"}]`, // over the writer's buffer
      '[2,"4","Heartbeat",{}]',
      `[2,"5","DataTransfer",{"vendorId":"x","data":"${'y'.repeat(100_000)}"}]`, // fills most of it
      '\ud800 a lone surrogate',
    ];
    // Enough small events to pass the flush threshold more than once within one turn.
    for (let i = 0; i < 3000; i++)
      texts.push(`[2,"m${i}","MeterValues",{"connectorId":1,"n":"${'v'.repeat(150)}"}]`);
    const events = texts.map((t, i) => frame(i, t));
    for (const e of events) w.write(e);
    w.close();
    expect(lines(w.file)).toEqual(events.map((e) => encodeEvent(e).slice(0, -1)));
    expect(w.events).toBe(events.length);
    expect(w.bytes).toBe(statSync(w.file).size);
  });

  it('rolls over where it did when each line was one string: a part ends before the line that would pass maxBytes', () => {
    const maxBytes = 20_000;
    const w = new CaptureWriter({
      folder: testTempDir('cw'),
      name: 'rec',
      tool: 't',
      maxBytes,
    });
    // Lines written from parts (long texts) and whole (short ones), of varied sizes.
    const events = Array.from({ length: 120 }, (_, i) =>
      frame(
        i,
        i % 3 === 0 ? `[3,"m${i}",{}]` : `[2,"m${i}","MeterValues",{"v":"${'"q\\'.repeat(100 + i * 7)}"}]`,
      ),
    );
    for (const e of events) w.write(e);
    w.close();
    expect(w.files.length).toBeGreaterThan(3);
    const parts = w.files.map((f) => ({ size: statSync(f).size, lines: lines(f) }));
    expect(parts.flatMap((p) => p.lines)).toEqual(events.map((e) => encodeEvent(e).slice(0, -1)));
    parts.forEach((p, k) => {
      expect(p.size).toBeLessThanOrEqual(maxBytes);
      const next = parts[k + 1];
      if (next) expect(p.size + next.lines[0]!.length + 1).toBeGreaterThan(maxBytes);
    });
  });

  it('keeps the order of events written before and after a flush at the end of the turn', async () => {
    const w = new CaptureWriter({ folder: testTempDir('cw'), name: 'rec', tool: 't' });
    w.write(frame(0, 'a'));
    // The writer's flush was queued first, so it has run when this turn ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // The first line left at the end of its turn, before the writer was closed.
    expect(lines(w.file)).toHaveLength(1);
    w.write(frame(1, 'b'));
    w.close();
    expect(lines(w.file).map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['a', 'b']);
  });
});
