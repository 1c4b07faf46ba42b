import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../../electron/engine/capture/event-bytes';
import { CaptureWriter } from '../../../../electron/engine/capture/capture-writer';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { runInspect } from '../../../../electron/host/commands/inspect';
import { testIo } from '../../host/commands/cli-test-io';
import { frame, session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

/** One damaged line is one finding with its line and byte; every other event still opens, pages and exports. */

const dir = suiteTempDir('capdamage');
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

// ---- version 2: frame lines with their text verbatim, damaged where a reader cuts them ---------------------------

/** A version-2 file as the recorder writes it: 20 frames with long texts, each written verbatim. */
function verbatimFile(): Buffer {
  const w = new CaptureWriter({ folder: dir, name: 'v2src', tool: 't' });
  for (let i = 0; i < 20; i++) {
    const values = Array.from({ length: 8 }, (_, k) => `{"value":"${i}.${k}","unit":"Wh","note":"é€😀"}`);
    const text = `[2,"m${i}","MeterValues",{"connectorId":1,"meterValue":[{"sampledValue":[${values.join(',')}],"textJson":1}]}]`;
    w.write(frame(i, 'c1', 'station', text));
  }
  w.close();
  const bytes = readFileSync(w.file);
  rmSync(w.file);
  return bytes;
}

/** Line i of the file (0 = header) as bytes, changed by `damage`, put back. */
function damageLine(file: Buffer, i: number, damage: (line: Buffer) => Buffer): Buffer {
  const lines: Buffer[] = [];
  let at = 0;
  for (let nl = file.indexOf(0x0a); nl >= 0; nl = file.indexOf(0x0a, at)) {
    lines.push(file.subarray(at, nl));
    at = nl + 1;
  }
  lines[i] = damage(lines[i]!);
  return Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
}

const withLength = (line: Buffer, n: (was: number) => number): Buffer => {
  const s = line.toString('latin1');
  return Buffer.from(
    s.replace(/^\{"textBytes":(\d+)/, (_, d: string) => `{"textBytes":${n(Number(d))}`),
    'latin1',
  );
};

const VERBATIM_CASES: [string, (line: Buffer) => Buffer][] = [
  ['a length one too long', (l) => withLength(l, (n) => n + 1)],
  ['a length one too short', (l) => withLength(l, (n) => n - 1)],
  ['a length past the start of the line', (l) => withLength(l, (n) => n + 100_000)],
  ['a length of zero', (l) => withLength(l, () => 0)],
  [
    'a length that is not a number',
    (l) => Buffer.from(l.toString('latin1').replace(/^\{"textBytes":\d+/, '{"textBytes":"12"'), 'latin1'),
  ],
  ['a length with leading zeros', (l) => withLength(l, (n) => ('00' + n) as unknown as number)],
  // The text has a member named textJson of its own: a length that points at it cuts the text, not the line.
  [
    'a length that points at a textJson inside the text',
    (l) => {
      const s = l.toString('latin1');
      const inner = s.lastIndexOf(',"textJson":1}') + ',"textJson":'.length;
      return withLength(l, () => l.length - 1 - inner);
    },
  ],
  // One byte of a two-byte character gone, the length told to match: the text is no longer UTF-8.
  [
    'a cut UTF-8 sequence',
    (l) => {
      const at = l.lastIndexOf(Buffer.from('é'));
      return withLength(Buffer.concat([l.subarray(0, at + 1), l.subarray(at + 2)]), (n) => n - 1);
    },
  ],
  [
    'a text member in the head too',
    (l) => Buffer.from(l.toString('latin1').replace('"kind":"frame"', '"kind":"frame","text":"x"'), 'latin1'),
  ],
  [
    'a second, different length in the head',
    (l) =>
      Buffer.from(l.toString('latin1').replace('"kind":"frame"', '"kind":"frame","textBytes":3'), 'latin1'),
  ],
  [
    'a note that holds a frame text',
    (l) =>
      Buffer.from(l.toString('latin1').replace('"kind":"frame"', '"kind":"note","source":"user"'), 'latin1'),
  ],
  ['no closing brace', (l) => Buffer.concat([l.subarray(0, l.length - 1), Buffer.from(' ')])],
];

describe('CaptureFile: damaged verbatim lines (format 2)', () => {
  const file = verbatimFile();
  it('writes the frames verbatim (what the cases below damage)', () => {
    const lines = file.toString('utf8').split('\n');
    expect(JSON.parse(lines[0]!).version).toBe(2);
    expect(lines.slice(1, -1).every((l) => l.startsWith('{"textBytes":'))).toBe(true);
  });

  for (const [name, damage] of VERBATIM_CASES) {
    it(`${name}: one finding for that line, every other event opens, the text of none is wrong`, async () => {
      const bytes = damageLine(file, 5, damage);
      const path = join(dir, `v2-${name.replace(/\W+/g, '-')}.ocppcap.jsonl`);
      writeFileSync(path, bytes);
      const lineByte = nthLineStart(bytes, 5);
      const f = await CaptureFile.open(path);
      opened.push(f);
      await f.whenIndexed();
      const events = await readAllEvents(f);
      expect(f.info().findings.map((x) => [x.code, x.message])).toEqual([
        ['capture-event-bad-text', expect.stringContaining(`Line 6 (byte ${lineByte})`)],
      ]);
      const frames = events.filter((e) => e.kind === 'frame');
      expect(frames).toHaveLength(19);
      const good = decodeCaptureBytes(file).events;
      for (const e of frames) expect(e).toEqual(good[e.seq]);
      // The in-memory reader over the same bytes reads what the file reader reads: the same line refused (and kept
      // as a note where it was), the rest the same.
      const d = decodeCaptureBytes(bytes);
      expect(d.findings.map((x) => x.message)).toEqual([
        expect.stringContaining(`Line 6 (byte ${lineByte})`),
      ]);
      expect(d.events).toEqual(events);
      const io = testIo();
      expect(await runInspect([path, '--events'], io.io)).not.toBe(70);
      expect(io.err()).not.toMatch(/TypeError|Cannot read|RangeError/);
    });
  }

  it('a file cut inside the text of its last line keeps everything before it, with capture-truncated-tail', async () => {
    for (const cut of [2, 3, 7, 40, 200]) {
      const bytes = file.subarray(0, file.length - cut);
      const path = join(dir, `v2-cut-${cut}.ocppcap.jsonl`);
      writeFileSync(path, bytes);
      const f = await CaptureFile.open(path);
      opened.push(f);
      await f.whenIndexed();
      expect(f.info().findings.map((x) => x.code)).toEqual(['capture-truncated-tail']);
      expect(await readAllEvents(f)).toHaveLength(19);
      expect(decodeCaptureBytes(bytes).findings.map((x) => x.code)).toEqual(['capture-truncated-tail']);
    }
  });

  it('a version-1 file opens as before: a line shaped like a verbatim one is not read as one there', async () => {
    const v1 = Buffer.from(file.toString('utf8').replace('"version":2', '"version":1'));
    const path = join(dir, 'v1-shaped.ocppcap.jsonl');
    writeFileSync(path, v1);
    const f = await CaptureFile.open(path);
    opened.push(f);
    await f.whenIndexed();
    // Version 1 has no verbatim line: each is an event without its text, as a version-1 reader always said.
    expect(f.info().findings[0]).toMatchObject({ code: 'capture-event-missing-field' });
    expect(await readAllEvents(f)).toHaveLength(0);
  });
});

function nthLineStart(bytes: Buffer, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at = bytes.indexOf(0x0a, at) + 1;
  return at;
}
