import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSourceFile } from '../../../../electron/engine/capture/open-source';
import type { EventSource } from '../../../../electron/engine/capture/event-source';
import type { Finding, FrameEvent, ScopeEvent } from '../../../../shared/capture/events';
import { encodeCapture, encodeEvent, makeHeader } from '../../../../shared/capture/format';
import { MAX_LINE } from '../../../../shared/capture/capture-line-rules';
import { VERBATIM_KEY } from '../../../../shared/capture/verbatim-line';
import { Rng } from '../../../fuzz/corpus';
import { session } from './fixtures';

/**
 * A gzipped capture is inflated as it is read to a private copy, read from there; a plain one is read from the file:
 * the same bytes must read the same either way (events and findings), whatever the damage. (It was read in memory
 * once, by another reader: these cases come from there.)
 */

const dir = mkdtempSync(join(tmpdir(), 'gzparity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: EventSource[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function read(path: string): Promise<{ events: ScopeEvent[]; findings: Finding[] }> {
  const source = await openSourceFile(path, { id: 'p' });
  opened.push(source);
  await source.whenIndexed();
  const events: ScopeEvent[] = [];
  for await (const e of source.events()) events.push(e);
  return { events, findings: source.info().findings };
}

let files = 0;
async function bothWays(text: string | Buffer): Promise<{ events: ScopeEvent[]; findings: Finding[] }> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const plain = join(dir, `c${++files}.ocppcap.jsonl`);
  writeFileSync(plain, bytes);
  writeFileSync(`${plain}.gz`, gzipSync(bytes));
  const fromFile = await read(plain);
  const fromMemory = await read(`${plain}.gz`);
  expect(fromMemory).toEqual(fromFile);
  return fromFile;
}

const header = (): string => JSON.stringify(makeHeader('t'));
const lines = (events: ScopeEvent[]): string => events.map(encodeEvent).join('');

/** Line-level damage (a cut line, garbage, a blank line, a CR, a line gone, bad fields, a bad escape, a cut tail). */
function damaged(seed: number): string {
  const rng = new Rng(seed);
  const all = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 30)).split('\n');
  for (let k = 1 + rng.int(4); k > 0; k--) {
    const i = rng.int(all.length);
    const l = all[i]!;
    switch (rng.int(8)) {
      case 0:
        all[i] = l.slice(0, rng.int(l.length));
        break;
      case 1:
        all.splice(i, 0, rng.pick(['x', '{}', '[1]', '{"kind":"nope","seq":1,"t":1,"conn":"c"}', 'null']));
        break;
      case 2:
        all.splice(i, 0, rng.pick(['', ' ', '\t \t', '\r']));
        break;
      case 3:
        all[i] = `${l}\r`;
        break;
      case 4:
        all.splice(i, 1);
        break;
      case 5:
        all[i] = l.replace('"seq":', '"seq":"x",');
        break;
      case 6:
        all[i] = l.replace('"t":', '"t":"soon","was":');
        break;
      default:
        // A frame line that still looks whole: the file reader indexes it, and finds it unreadable when read.
        all[i] = l.replace('"text":"[', '"text":"\\q[');
    }
  }
  const text = all.join('\n');
  return rng.int(3) === 0 ? text.slice(0, rng.int(text.length)) : text;
}

describe('a capture read plain or gzipped', () => {
  it('caps the problem lines and does not quote them', async () => {
    const r = await bothWays(`${header()}\n${'x\n'.repeat(1_000)}`);
    expect(r.findings).toHaveLength(101);
    expect(r.findings.at(-1)).toMatchObject({ code: 'capture-more-problems' });
    expect(r.findings.some((f) => f.message.includes('"x"'))).toBe(false);
  });

  it('accepts a leading UTF-8 BOM, offsets counted from the first byte of the file', async () => {
    const events = session('c1', 'CP-1', 5);
    const r = await bothWays(`\ufeff${header()}\n${lines(events)}x\n`);
    expect(r.events).toEqual(events);
    const at = Buffer.byteLength(`\ufeff${header()}\n${lines(events)}`);
    expect(r.findings).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`(byte ${at})`) }),
    ]);
  });

  it('passes over lines of only spaces, as empty ones', async () => {
    const events = session('c1', 'CP-1', 4);
    const r = await bothWays(
      `${header()}\n \n${encodeEvent(events[0]!)}\t\n${lines(events.slice(1))}\r\n \r\n`,
    );
    expect(r.events).toEqual(events);
    expect(r.findings).toEqual([]);
  });

  it('reads events without a header, with a finding that says so', async () => {
    const events = session('c1', 'CP-1', 3);
    const r = await bothWays(lines(events));
    expect(r.events).toEqual(events);
    expect(r.findings.map((f) => f.code)).toEqual(['capture-no-header']);
  });

  it('takes the first line that is not blank as the header (a format-2 recording keeps its verbatim frames)', async () => {
    const text = '[2,"1","Heartbeat",{}]';
    const frame = `{"textBytes":${text.length},"kind":"frame","seq":1,"t":1,"mono":1,"conn":"c","sender":"station","findings":[]${VERBATIM_KEY}${text}}`;
    for (const before of ['\n', ' \r\n\t\n', '\ufeff\n']) {
      const r = await bothWays(`${before}${header()}\n${frame}\n`);
      expect(r.findings).toEqual([]);
      expect(r.events).toEqual([expect.objectContaining({ kind: 'frame', seq: 1, text })]);
    }
  });

  it('reads a bad first line and then the events, as the rest of a file', async () => {
    const events = session('c1', 'CP-1', 3);
    const r = await bothWays(`not a header\n${lines(events)}`);
    expect(r.events).toEqual(events);
    expect(r.findings.map((f) => f.code)).toEqual(['capture-header-not-json']);
  });

  it('keeps a frame line that looks whole but does not parse as a note in its place, as the file reader does', async () => {
    const all = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 8)).split('\n');
    all[4] = all[4]!.replace('"text":"[', '"text":"\\q[');
    all[5] = 'x';
    all[6] = all[6]!.replace('"text":"[', '"text":"\\u12[');
    const r = await bothWays(all.join('\n'));
    expect(r.events.filter((e) => e.kind === 'note')).toHaveLength(2);
    expect(r.findings).toHaveLength(3);
  });

  it('keeps a verbatim frame line whose text is not UTF-8 as a note in its place, as the file reader does', async () => {
    const text = Buffer.from([0x5b, 0x32, 0xff, 0x5d]);
    const head = `{"textBytes":${text.length},"kind":"frame","seq":1,"t":1,"mono":1,"conn":"c","sender":"station","findings":[]${VERBATIM_KEY}`;
    const r = await bothWays(Buffer.concat([Buffer.from(`${header()}\n${head}`), text, Buffer.from('}\n')]));
    expect(r.events.map((e) => e.kind)).toEqual(['note']);
    expect(r.findings.map((f) => f.code)).toEqual(['capture-event-bad-text']);
  });

  it('skips a line of 64 MB or more unread, plain or gzipped, with line-too-long at its start', async () => {
    const events = session('c1', 'CP-1', 3);
    const before = `${header()}\n${encodeEvent(events[0]!)}`;
    const r = await bothWays(
      Buffer.concat([
        Buffer.from(before),
        Buffer.alloc(MAX_LINE, 0x78),
        Buffer.from(`\n${lines(events.slice(1))}`),
      ]),
    );
    expect(r.events).toEqual(events);
    expect(r.findings).toEqual([
      expect.objectContaining({
        code: 'capture-line-too-long',
        message: `Line 3 (byte ${Buffer.byteLength(before)}): A line is longer than ${MAX_LINE} bytes; it was skipped.`,
      }),
    ]);
  });

  it('refuses an empty file the same way plain or gzipped (a BOM and whitespace are nothing to read)', async () => {
    const large = `${' \r\n\t'.repeat(3_000)}\n`;
    for (const text of ['', '\n', '\ufeff', '\ufeff \r\n\t\n', large]) {
      const plain = join(dir, `e${++files}.ocppcap.jsonl`);
      writeFileSync(plain, text);
      writeFileSync(`${plain}.gz`, gzipSync(Buffer.from(text)));
      for (const path of [plain, `${plain}.gz`])
        await expect(openSourceFile(path, { id: 'e' })).rejects.toMatchObject({
          name: 'OpenError',
          code: 'empty',
        });
    }
  });

  it("decides from the head's first frame whether to analyse bare frames, plain or gzipped", async () => {
    const events = session('c1', 'CP-1', 6);
    const bare = (e: ScopeEvent): ScopeEvent => {
      if (e.kind !== 'frame') return e;
      const { msg: _msg, pair: _pair, ...rest } = e;
      return { ...rest, findings: [] };
    };
    const frames = (r: { events: ScopeEvent[] }): FrameEvent[] =>
      r.events.filter((e): e is FrameEvent => e.kind === 'frame');
    const firstFrame = events.findIndex((e) => e.kind === 'frame');
    const lastFrame = events.findLastIndex((e) => e.kind === 'frame');
    // The first frame analysed (the writer analyses): a bare one later is read as written.
    const mixed = events.map((e, i) => (i === lastFrame ? bare(e) : e));
    const kept = frames(await bothWays(`${header()}\n${lines(mixed)}`));
    expect(kept.at(-1)).toEqual(bare(events[lastFrame]!));
    expect(kept.at(-1)!.msg).toBeUndefined();
    // The first frame bare (another tool wrote it): every bare frame is analysed.
    const bareFirst = events.map((e, i) => (i === firstFrame || i === lastFrame ? bare(e) : e));
    const analysed = frames(await bothWays(`${header()}\n${lines(bareFirst)}`));
    expect(analysed.every((f) => f.msg !== undefined)).toBe(true);
  });

  it('lists the first 100 frame lines found unreadable and counts the rest, keeping each as a note', async () => {
    const all = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 400)).split('\n');
    let damagedLines = 0;
    for (let i = 1; i < all.length; i++) {
      if (!all[i]!.includes('"text":"[')) continue;
      all[i] = all[i]!.replace('"text":"[', '"text":"\\q[');
      damagedLines++;
    }
    expect(damagedLines).toBeGreaterThan(150);
    const r = await bothWays(all.join('\n'));
    expect(r.events.filter((e) => e.kind === 'note')).toHaveLength(damagedLines);
    expect(r.findings).toHaveLength(101);
    expect(r.findings.at(-1)).toEqual({
      code: 'capture-more-problems',
      severity: 'warning',
      message: `${damagedLines - 100} more problem line(s) not listed.`,
    });
  });

  it('reads damaged files alike (a small generated corpus)', async () => {
    for (let seed = 1; seed <= 60; seed++) await bothWays(damaged(seed));
  });
});
