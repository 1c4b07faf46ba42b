import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { CHUNK, describeCapture } from '../../../../electron/engine/capture/capture-library';
import { LibraryFacade } from '../../../../electron/engine/capture/library-facade';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { session } from './fixtures';

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
  folder = join(mkdtempSync(join(tmpdir(), 'ocpp-scope-library-')), 'captures');
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
    expect(a.partial).toBe(false);
    expect(a.created).toBeGreaterThan(0);
    expect(a.size).toBeGreaterThan(1000);
    expect(entries.find((e) => e.name === 'broken.jsonl')!.problem).toBeTruthy();
  });

  it('reads only both ends of a large file and says the counts are partial', async () => {
    const big = write('big.ocppcap.jsonl', session('c1', 'CP-BIG', 8000));
    const e = await describeCapture(big);
    expect(e.size).toBeGreaterThan(2 * CHUNK);
    expect(e.partial).toBe(true);
    expect(e.identities).toEqual(['CP-BIG']);
    expect(e.findings.warning).toBeGreaterThan(0);
    // Fewer than the file holds (about one in 14 of 8000 events), more than none: counted from both ends.
    expect(e.findings.warning).toBeLessThan(8000 / 14);
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
