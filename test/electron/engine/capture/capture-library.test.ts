import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { CHUNK } from '../../../../electron/engine/capture/capture-library';
import { LibraryFacade } from '../../../../electron/engine/capture/library-facade';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { session } from './fixtures';
import { testTempDir } from '../../../support/temp-dirs';

let folder: string;
let recording: string[];
let revealed: string[];
let lib: LibraryFacade;

function write(name: string, events = session('c1', 'CP-7', 40)): string {
  const path = join(folder, name);
  writeFileSync(path, encodeCapture(makeHeader('test'), events));
  return path;
}

beforeEach(() => {
  folder = join(testTempDir('library'), 'captures');
  mkdirSync(folder);
  recording = [];
  revealed = [];
  lib = new LibraryFacade({ folder, recording: () => recording, reveal: (p) => revealed.push(p) });
});

describe('captures library', () => {
  it('lists recordings with date, chargers, size and findings by severity; other files are left out', async () => {
    write('a.ocppcap.jsonl');
    writeFileSync(join(folder, 'notes.txt'), 'not a capture');
    writeFileSync(join(folder, 'broken.jsonl'), 'hello\n');
    const { entries, dir, truncated } = await lib.list();
    expect(dir).toBe(folder);
    expect(truncated).toBe(false);
    expect(entries.map((e) => e.name).sort()).toEqual(['a.ocppcap.jsonl', 'broken.jsonl']);
    const a = entries.find((e) => e.name === 'a.ocppcap.jsonl')!;
    expect(a.identities).toEqual(['CP-7']);
    // The fixture flags every 7th call with a warning: 40 events hold 19 calls, so 2 warnings.
    expect(a.findings).toEqual({ error: 0, warning: 2, info: 0 });
    expect(a.counting).toBe(false);
    expect(a.created).toBeGreaterThan(0);
    expect(a.size).toBeGreaterThan(1000);
    expect(entries.find((e) => e.name === 'broken.jsonl')!.problem).toBeTruthy();
  });

  it('reads the header after blank lines (and a BOM) before it, as the readers do', async () => {
    const path = write('a.ocppcap.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(join(folder, 'b.ocppcap.jsonl'), `\ufeff\n \r\n${text}`);
    const { entries } = await lib.list();
    const [a, b] = [
      entries.find((e) => e.name === 'a.ocppcap.jsonl')!,
      entries.find((e) => e.name === 'b.ocppcap.jsonl')!,
    ];
    expect(b.problem).toBeUndefined();
    expect(b.created).toBe(a.created);
    expect(b.identities).toEqual(['CP-7']);
    expect(b.findings).toEqual(a.findings);
  });

  it('a header behind more blank lines than the listing reads first is found by the count, whatever the size', async () => {
    const text = readFileSync(write('a.ocppcap.jsonl'), 'utf8');
    // Under 2 * CHUNK (a file the listing would otherwise describe from its head alone), its head all blank lines.
    const blank = ' \r\n'.repeat(Math.ceil((CHUNK + 1000) / 3));
    writeFileSync(join(folder, 'b.ocppcap.jsonl'), `\ufeff${blank}${text}`);
    expect(statSync(join(folder, 'b.ocppcap.jsonl')).size).toBeLessThan(2 * CHUNK);
    const listed = (await lib.list()).entries.find((e) => e.name === 'b.ocppcap.jsonl')!;
    expect(listed.counting).toBe(true);
    await lib.counts.idle();
    const { entries } = await lib.list();
    const [a, b] = [
      entries.find((e) => e.name === 'a.ocppcap.jsonl')!,
      entries.find((e) => e.name === 'b.ocppcap.jsonl')!,
    ];
    expect(b).toMatchObject({
      counting: false,
      created: a.created,
      identities: ['CP-7'],
      findings: a.findings,
    });
    expect(b.problem).toBeUndefined();
  });

  it('a file of blank lines only, longer than the head, ends with a header problem once counted, not a hang', async () => {
    writeFileSync(join(folder, 'blank.ocppcap.jsonl'), ' \r\n'.repeat(Math.ceil((CHUNK + 1000) / 3)));
    expect((await lib.list()).entries[0]).toMatchObject({ counting: true });
    await lib.counts.idle();
    const e = (await lib.list()).entries[0]!;
    expect(e).toMatchObject({ counting: false, identities: [], findings: { error: 0, warning: 0, info: 0 } });
    expect(e.problem).toBeTruthy();
  });

  it('counts a file larger than the old 512 KiB bound exactly, once, in the background', async () => {
    // Three chargers, the middle one only in the middle of the file: both ends alone would miss it and most findings.
    const events: ScopeEvent[] = [
      ...session('c1', 'CP-HEAD', 4000),
      ...session('c2', 'CP-MIDDLE', 4000, 4000),
      ...session('c3', 'CP-TAIL', 4000, 8000),
    ];
    const warnings = events.filter((e) => e.kind === 'frame' && e.findings.length > 0).length;
    const big = write('big.ocppcap.jsonl', events);
    // A whole-millisecond time, which utimes can put back exactly below.
    const when = new Date(1_700_000_000_000);
    utimesSync(big, when, when);
    expect(statSync(big).size).toBeGreaterThan(2 * CHUNK);

    const first = (await lib.list()).entries[0]!;
    expect(first.counting).toBe(true);
    expect(first.identities).not.toContain('CP-MIDDLE');
    expect(first.findings.warning).toBeLessThan(warnings);

    await lib.counts.idle();
    const counted = (await lib.list()).entries[0]!;
    expect(counted.counting).toBe(false);
    expect(counted.identities.sort()).toEqual(['CP-HEAD', 'CP-MIDDLE', 'CP-TAIL']);
    expect(counted.findings).toEqual({ error: 0, warning: warnings, info: 0 });
    expect(warnings).toBeGreaterThan(500);

    // Unchanged (same size and time): the listing answers from memory and does not read the file, which we prove by
    // changing bytes in place and putting the time back.
    writeFileSync(big, readFileSync(big, 'utf8').replaceAll('"severity":"warning"', '"severity":"error__"'));
    utimesSync(big, when, when);
    expect((await lib.list()).entries[0]!.findings).toEqual({ error: 0, warning: warnings, info: 0 });

    // Touched: counted again.
    utimesSync(big, when, new Date(when.getTime() + 5000));
    expect((await lib.list()).entries[0]!.counting).toBe(true);
    await lib.counts.idle();
    expect((await lib.list()).entries[0]!.findings).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it('keeps the count across a rename, and does not count the file being recorded in the background', async () => {
    const big = write('big.ocppcap.jsonl', session('c1', 'CP-BIG', 9000));
    const live = write('live.ocppcap.jsonl', session('c2', 'CP-LIVE', 9000));
    recording = [live];
    await lib.list();
    await lib.counts.idle();
    const listed = (await lib.list()).entries;
    expect(listed.find((e) => e.path === live)?.counting).toBe(true);
    expect(listed.find((e) => e.path === big)?.counting).toBe(false);
    const renamed = await lib.rename(big, 'kept');
    expect(renamed).toMatchObject({ name: 'kept.ocppcap.jsonl', counting: false });
    expect(renamed.findings.warning).toBe(listed.find((e) => e.path === big)!.findings.warning);
  });

  it('a file with no newline at all is counted in bounded pieces, without a crash', async () => {
    const path = join(folder, 'one-line.jsonl');
    writeFileSync(path, '{"severity":"error"}'.repeat(60_000));
    expect((await lib.list()).entries[0]).toMatchObject({ counting: true });
    await lib.counts.idle();
    const e = (await lib.list()).entries[0]!;
    expect(e.counting).toBe(false);
    expect(e.problem).toBeTruthy();
  });

  it('renames inside the folder only, keeping the capture extension, never over another file', async () => {
    const a = write('a.ocppcap.jsonl');
    write('b.ocppcap.jsonl');
    const renamed = await lib.rename(a, 'before firmware 2.1');
    expect(renamed.name).toBe('before firmware 2.1.ocppcap.jsonl');
    await expect(lib.rename(renamed.path, 'b.ocppcap.jsonl')).rejects.toThrow(/already exists/);
    await expect(lib.rename(renamed.path, '../escape')).rejects.toThrow(/not a file name/);
    await expect(lib.rename(join(folder, '..', 'x.ocppcap.jsonl'), 'y')).rejects.toThrow(/not a recording/);
    expect(readdirSync(folder).sort()).toEqual(['b.ocppcap.jsonl', 'before firmware 2.1.ocppcap.jsonl']);
  });

  it('deletes a recording but not the one being recorded, nor anything outside the folder', async () => {
    const a = write('a.ocppcap.jsonl');
    const live = write('live.ocppcap.jsonl');
    recording = [live];
    await expect(lib.delete(live)).rejects.toThrow(/being recorded/);
    await expect(lib.delete('/etc/passwd')).rejects.toThrow(/not a recording/);
    await lib.delete(a);
    await expect(lib.delete(a)).rejects.toMatchObject({ code: 'not-found' });
    expect(readdirSync(folder)).toEqual(['live.ocppcap.jsonl']);
  });

  it('reveals through the desktop hook, and without one (serve mode) answers the path', async () => {
    const a = write('a.ocppcap.jsonl');
    expect(await lib.reveal(a)).toEqual({ revealed: true, path: a });
    expect(revealed).toEqual([a]);
    const serve = new LibraryFacade({ folder, recording: () => [] });
    expect(await serve.reveal(a)).toEqual({ revealed: false, path: a });
  });

  it('diffs two recordings with the replay report, labelled with both names', async () => {
    const a = write('a.ocppcap.jsonl', session('c1', 'CP-7', 20));
    const b = write('b.ocppcap.jsonl', session('c9', 'CP-7', 24));
    const status = await lib.diff(a, b);
    expect(status.state).toBe('done');
    expect(status.label).toMatchObject({
      kind: 'diff',
      capture: 'a.ocppcap.jsonl',
      target: 'b.ocppcap.jsonl',
    });
    expect(status.report.filter((i) => i.outcome === 'unexpected').length).toBeGreaterThan(0);
    expect(status.report.filter((i) => i.outcome === 'matched').length).toBeGreaterThan(5);
    await expect(lib.diff(a, b, ['@nope'])).rejects.toThrow(/Ignore rules/);
  });

  it('through the engine: the page may open a recording of the folder, not a file elsewhere', async () => {
    const dataDir = dirname(folder);
    const engine = new ScopeEngine({ dataDir });
    try {
      const a = write('a.ocppcap.jsonl');
      const listed = await engine.listCaptures();
      expect(listed.entries.map((e) => e.path)).toEqual([a]);
      const opened = await engine.openFile(a);
      expect(opened).toMatchObject({ kind: 'capture', connections: [{ id: 'c1', identity: 'CP-7' }] });
      const outside = join(dataDir, 'elsewhere.ocppcap.jsonl');
      writeFileSync(outside, readFileSync(a));
      await expect(engine.openFile(outside)).rejects.toThrow(/choose the file first/);
      expect(await engine.revealCapture(a)).toEqual({ revealed: false, path: a });
    } finally {
      await engine.close();
    }
  });
});
