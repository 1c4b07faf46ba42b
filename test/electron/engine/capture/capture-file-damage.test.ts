import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { runInspect } from '../../../../electron/host/commands/inspect';
import { testIo } from '../../host/commands/cli-test-io';
import { session } from './fixtures';

/** One damaged line is one finding with its line and byte; every other event still opens, pages and exports. */

const dir = mkdtempSync(join(tmpdir(), 'capdamage-'));
const opened: CaptureFile[] = [];
afterEach(async () => {
  for (const f of opened.splice(0)) await f.close();
});

function damaged(name: string, damage: (lines: string[]) => void): { path: string; lines: string[] } {
  const text = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 20));
  const lines = text.split('\n');
  damage(lines);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return { path, lines };
}

const byteOf = (lines: string[], index: number): number =>
  Buffer.byteLength(lines.slice(0, index).join('\n')) + (index > 0 ? 1 : 0);

const CASES: [string, (lines: string[]) => void, number][] = [
  // Files of earlier versions lacked it: filled in, not refused.
  ['a handshake without findings', (l) => (l[1] = l[1]!.replace(/,"findings":\[\]/, '')), -1],
  ['a finding that is null', (l) => (l[5] = l[5]!.replace('"findings":[]', '"findings":[null]')), 5],
  [
    'a finding without a message',
    (l) => (l[5] = l[5]!.replace('"findings":[]', '"findings":[{"code":"x","severity":"error"}]')),
    5,
  ],
  ['headers that are not pairs', (l) => (l[1] = l[1]!.replace('"headers":[[', '"headers":[7,[')), 1],
  ['a msg type that is a string', (l) => (l[3] = l[3]!.replace('"type":3', '"type":"3"')), 3],
  ['a pair without partner', (l) => (l[4] = l[4]!.replace(/"msg":/, '"pair":{"rttMs":1},"msg":')), 4],
  ['a bad escape inside the text', (l) => (l[4] = l[4]!.replace('"text":"[', '"text":"\\q[')), 4],
  [
    'connections in the header that are not objects',
    (l) => (l[0] = l[0]!.replace('"connections":[]', '"connections":[null,1]')),
    -1,
  ],
];

describe('CaptureFile: damaged lines', () => {
  for (const [name, damage, lineIndex] of CASES) {
    it(name, async () => {
      const { path, lines } = damaged(`${name.replace(/\W+/g, '-')}.ocppcap.jsonl`, damage);
      const f = await CaptureFile.open(path);
      opened.push(f);
      await f.whenIndexed();
      const events = await readAllEvents(f);
      const info = f.info();
      if (lineIndex < 0) {
        expect(info.findings).toEqual([]);
        expect(events).toHaveLength(20);
      } else {
        expect(info.findings.map((x) => x.message)).toEqual([
          expect.stringContaining(`Line ${lineIndex + 1} (byte ${byteOf(lines, lineIndex)})`),
        ]);
        // Everything else is there; a line the index had already counted stays as a note saying where.
        expect(events.filter((e) => e.kind !== 'note')).toHaveLength(19);
      }
      const page = await f.query({ withFindings: true }, 0, 100);
      expect(page.total).toBeGreaterThanOrEqual(0);
      const io = testIo();
      expect(await runInspect([path, '--events'], io.io)).not.toBe(70);
      expect(io.err()).not.toMatch(/TypeError|Cannot read/);
    });
  }

  it('many damaged lines far into a file each name their own line and byte, however often they are read', async () => {
    // Every 7th frame has a bad escape the index cannot see (it skims texts): the line is found damaged when read.
    const text = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 3000));
    const lines = text.split('\n');
    const hit: number[] = [];
    for (let i = 3; i < lines.length; i += 7) {
      if (!lines[i]!.includes('"text":"[')) continue;
      lines[i] = lines[i]!.replace('"text":"[', '"text":"\\q[');
      hit.push(i);
    }
    const path = join(dir, 'many-damaged.ocppcap.jsonl');
    writeFileSync(path, lines.join('\n'));
    expect(Buffer.byteLength(lines.join('\n'))).toBeGreaterThan(16 * 16 * 1024); // many line marks
    const f = await CaptureFile.open(path);
    opened.push(f);
    await f.whenIndexed();
    for (let pass = 0; pass < 2; pass++) {
      const notes = (await readAllEvents(f)).filter((e) => e.kind === 'note');
      expect(notes.map((n) => n.kind === 'note' && n.text)).toEqual(
        hit.map((i) => expect.stringContaining(`Line ${i + 1} (byte ${byteOf(lines, i)})`)),
      );
    }
    expect(f.info().findings.length).toBeGreaterThan(0);
  });

  it('the raw file is unchanged by opening it', () => {
    const { path, lines } = damaged('unchanged.ocppcap.jsonl', () => {});
    expect(readFileSync(path, 'utf8')).toBe(lines.join('\n'));
  });
});
