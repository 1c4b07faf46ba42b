import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { FrameSkimmer } from '../../../../electron/engine/capture/frame-skim';
import type { FrameEvent } from '../../../../shared/capture/events';
import { encodeCapture, makeHeader, parseEventLine } from '../../../../shared/capture/format';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

/**
 * The indexer's fast path may only accept what JSON.parse and the event checks accept (a damaged escape inside a
 * frame's text aside, which is found when the line is first read), and must read the same fields from it.
 */

const dir = suiteTempDir('frame-skim');
const opened: CaptureFile[] = [];
afterEach(async () => {
  for (const f of opened.splice(0)) await f.close();
});

const lines = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 40))
  .split('\n')
  .filter((l) => l.includes('"kind":"frame"'));

/** Where the text string's content lies in a line (between its quotes). */
function textRange(line: string): [number, number] {
  const start = Buffer.byteLength(line.slice(0, line.indexOf('"text":"') + 8));
  const value = JSON.stringify((JSON.parse(line) as FrameEvent).text);
  return [start, start + Buffer.byteLength(value) - 2];
}

function skim(line: string): ReturnType<FrameSkimmer['skim']> {
  const b = Buffer.from(line);
  return new FrameSkimmer().skim(b, 0, b.length);
}

describe('FrameSkimmer (the capture index fast path)', () => {
  it('reads from every engine-written frame line what JSON.parse reads', () => {
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const f = skim(line);
      const e = JSON.parse(line) as FrameEvent;
      expect(f, line).toBeDefined();
      expect({ ...f! }).toEqual({
        conn: e.conn,
        t: e.t,
        sender: e.sender === 'station' ? 1 : 2,
        type: e.msg?.type ?? 0,
        action: e.msg?.action,
        findings: e.findings.length,
        codes: e.findings.length > 0 ? e.findings.map((x) => x.code) : undefined,
        rttMs: e.pair?.rttMs,
      });
    }
  });

  it('lets no damaged byte through that the event checks refuse (JSON damage it skips is found at first read)', () => {
    const bad = [0x00, 0x09, 0x22, 0x2c, 0x30, 0x39, 0x5c, 0x5d, 0x7b, 0x7d, 0x2e, 0x65, 0x2d, 0x78];
    let accepted = 0;
    let refused = 0;
    for (const line of lines.slice(0, 6)) {
      const bytes = Buffer.from(line);
      const [ts, te] = textRange(line);
      for (let i = 0; i < bytes.length; i++) {
        if (i >= ts && i < te) continue;
        for (const v of bad) {
          if (bytes[i] === v) continue;
          const b = Buffer.from(bytes);
          b[i] = v;
          const f = new FrameSkimmer().skim(b, 0, b.length);
          const parsed = parseEventLine(b.toString('utf8'));
          if (f) {
            accepted++;
            // JSON damage outside what the index reads (a key, a member it skips) is found at first read, as
            // before; a field the event checks refuse is never let through.
            if (!parsed.ok) {
              expect(parsed.code, `${b.toString()} accepted by the skim`).toBe('event-not-json');
              continue;
            }
            const e = parsed.value as FrameEvent;
            expect([f.conn, f.t, f.type, f.action, f.rttMs]).toEqual([
              e.conn,
              e.t,
              e.msg?.type ?? 0,
              e.msg?.action,
              e.pair?.rttMs,
            ]);
          } else refused++;
        }
      }
    }
    // Both happen: a digit for a digit still reads, most damage does not.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  const damages: [string, (l: string) => string][] = [
    ['a time with junk after it', (l) => l.replace(/"t":(\d+)/, '"t":$1abc')],
    ['a time with a leading zero', (l) => l.replace(/"t":(\d+)/, '"t":0$1')],
    ['a mono ending in a dot', (l) => l.replace(/"mono":(\d+)/, '"mono":$1.')],
    ['a msg type out of range', (l) => l.replace('"type":2', '"type":9')],
    ['a partner that is a string', (l) => l.replace(/"partnerSeq":(\d+)/, '"partnerSeq":"$1"')],
    ['binary that is not a literal', (l) => l.replace('"sender"', '"binary":tru,"sender"')],
    ['a connection with a raw tab', (l) => l.replace('"conn":"c1"', '"conn":"c\t1"')],
    ['a time beyond any date', (l) => l.replace(/"t":(\d+)/, '"t":9e15')],
  ];

  for (const [name, damage] of damages) {
    it(`${name}: one finding naming the line and byte, as JSON.parse and the checks word it; the rest opens`, async () => {
      const all = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 20)).split('\n');
      const index = all.findIndex((l, i) => i > 2 && l !== damage(l) && l.includes('"kind":"frame"'));
      expect(index).toBeGreaterThan(0);
      all[index] = damage(all[index]!);
      const expected = parseEventLine(all[index]!);
      expect(expected.ok).toBe(false);
      const path = join(dir, `${name.replace(/\W+/g, '-')}.ocppcap.jsonl`);
      writeFileSync(path, all.join('\n'));
      const f = await CaptureFile.open(path);
      opened.push(f);
      await f.whenIndexed();
      const byte = Buffer.byteLength(all.slice(0, index).join('\n')) + 1;
      const findings = f.info().findings;
      expect(findings.map((x) => x.code)).toEqual([`capture-${(expected as { code: string }).code}`]);
      expect(findings[0]!.message).toMatch(
        new RegExp(`^Line ${index + 1} \\(byte ${byte}\\): .* The line was skipped\\.$`),
      );
      expect(await readAllEvents(f)).toHaveLength(19);
    });
  }

  it('a line the skim leaves to JSON.parse (duplicate keys, escapes, nesting) is indexed all the same', async () => {
    const all = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 20)).split('\n');
    for (let i = 2; i < all.length; i++) {
      if (!all[i]!.includes('"kind":"frame"')) continue;
      if (i % 3 === 0) all[i] = all[i]!.replace('"msg":{', '"msg":{"type":"x",');
      else if (i % 3 === 1) all[i] = all[i]!.replace('"conn":"c1"', '"conn":"\\u00631"');
      else all[i] = all[i]!.replace('"msg":{', '"msg":{"extra":{"a":[1]},');
    }
    const path = join(dir, 'unusual.ocppcap.jsonl');
    writeFileSync(path, all.join('\n'));
    const f = await CaptureFile.open(path);
    opened.push(f);
    await f.whenIndexed();
    expect(f.info().findings).toEqual([]);
    expect(f.stats().events).toBe(20);
    expect((await f.query({ connection: 'c1' }, 0, 100)).total).toBe(20);
  });
});
