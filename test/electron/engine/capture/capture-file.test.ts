import { readFileSync, writeFileSync, appendFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { CaptureWriter } from '../../../../electron/engine/capture/capture-writer';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('capfile');
const opened: CaptureFile[] = [];
afterEach(async () => {
  for (const f of opened.splice(0)) await f.close();
});

async function openFile(path: string): Promise<CaptureFile> {
  const f = await CaptureFile.open(path);
  opened.push(f);
  await f.whenIndexed();
  return f;
}

function writeCapture(name: string, n = 500): string {
  const events = [...session('c1', 'CP-1', n / 2), ...session('c2', 'CP-2', n / 2, n / 2)];
  const path = join(dir, name);
  writeFileSync(path, encodeCapture(makeHeader('test'), events));
  return path;
}

describe('CaptureFile', () => {
  it('indexes every event and reads pages back exactly as written', async () => {
    const path = writeCapture('a.jsonl');
    const f = await openFile(path);
    expect(f.info()).toMatchObject({ events: 500, indexing: false, findings: [] });
    const page = await f.query({}, 10, 5);
    expect(page.total).toBe(500);
    expect(page.events.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(JSON.stringify(page.events[0])).toBe(lines[11]);
  });

  it('filters by identity, action, type, sender, findings, text and time, like matchesQuery', async () => {
    const f = await openFile(writeCapture('b.jsonl'));
    const byIdentity = await f.query({ identity: 'cp-2' }, 0, 1000);
    expect(byIdentity.total).toBe(250);
    expect(byIdentity.events.every((e) => e.conn === 'c2')).toBe(true);
    const boot = await f.query({ action: 'BootNotification', messageType: 2 }, 0, 10);
    expect(boot.total).toBe(2);
    const results = await f.query({ sender: 'csms', connection: 'c1' }, 0, 1000);
    expect(results.events.every((e) => e.kind === 'frame' && e.sender === 'csms' && e.conn === 'c1')).toBe(
      true,
    );
    const findings = await f.query({ withFindings: true }, 0, 1000);
    expect(findings.total).toBeGreaterThan(0);
    expect(findings.events.every((e) => e.kind === 'frame' && e.findings.length > 0)).toBe(true);
    const quoted = await f.query({ text: 'ACME \\"QUOTED\\"' }, 0, 10);
    expect(quoted.total).toBe(2);
    expect((await f.query({ text: 'acme' }, 0, 10)).total).toBe(2);
    expect((await f.query({ text: 'extra FIELD' }, 0, 1000)).total).toBe(findings.total);
    const t0 = 1_700_000_000_000;
    const range = await f.query({ from: t0 + 100, to: t0 + 190 }, 0, 100);
    expect(range.events.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const stats = f.stats();
    expect(stats.connections.map((c) => c.identity).sort()).toEqual(['CP-1', 'CP-2']);
    expect(stats.actions.BootNotification).toBe(4);
    expect(stats.rtt.count).toBeGreaterThan(200);
    expect(stats.rtt.min).toBe(5);
    expect(stats.rtt.max).toBe(14);
  });

  it('keeps everything before a truncated tail and says where it broke', async () => {
    const path = writeCapture('c.jsonl', 100);
    const size = statSync(path).size;
    truncateSync(path, size - 20);
    const f = await openFile(path);
    const info = f.info();
    expect(info.events).toBe(99);
    expect(info.findings).toHaveLength(1);
    expect(info.findings[0]!.code).toBe('capture-truncated-tail');
    const lines = readFileSync(path, 'utf8').split('\n');
    const lastStart = Buffer.byteLength(lines.slice(0, 100).join('\n') + '\n');
    expect(info.findings[0]!.message).toContain(`Line 101 (byte ${lastStart})`);
  });

  it('skips a corrupt line in the middle with its line number and keeps the rest', async () => {
    const path = writeCapture('d.jsonl', 20);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[5] = '{"seq": 4, garbage';
    writeFileSync(path, lines.join('\n'));
    const f = await openFile(path);
    expect(f.info().events).toBe(19);
    expect(f.info().findings[0]).toMatchObject({ code: 'capture-event-not-json' });
    expect(f.info().findings[0]!.message).toContain('Line 6');
  });

  it('rejects a file that is not a capture with a clear reason', async () => {
    const path = join(dir, 'not.jsonl');
    writeFileSync(path, 'hello world\nmore\n');
    const f = await openFile(path);
    expect(f.info().events).toBe(0);
    expect(f.info().findings[0]!.code).toBe('capture-header-not-json');
  });

  it('serves the first page while a large file is still indexing', async () => {
    const path = writeCapture('big.jsonl', 20_000);
    const f = await CaptureFile.open(path);
    opened.push(f);
    const first = await f.query({}, 0, 10);
    expect(first.events).toHaveLength(10);
    await f.whenIndexed();
    expect(f.info()).toMatchObject({ events: 20_000, indexing: false });
  });

  it('never throws or hangs on hostile bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.nat(2000), async (garbage, cut) => {
        const path = join(dir, 'fuzz.jsonl');
        const good = encodeCapture(makeHeader('t'), session('c', 'X', 10));
        writeFileSync(path, good.slice(0, cut));
        appendFileSync(path, garbage);
        const f = await CaptureFile.open(path);
        await f.whenIndexed();
        await f.query({ text: 'a', withFindings: true }, 0, 50);
        await readAllEvents(f);
        await f.close();
      }),
      { numRuns: 60 },
    );
  });

  it('rolls over by size; each part reads on its own with its header', async () => {
    const w = new CaptureWriter({ folder: join(dir, 'roll'), name: 'rec', tool: 't', maxBytes: 4000 });
    for (const e of session('c', 'CP', 100)) w.write(e);
    w.close();
    expect(w.files.length).toBeGreaterThan(2);
    let total = 0;
    for (const file of w.files) {
      const f = await openFile(file);
      expect(f.info().findings).toEqual([]);
      total += f.info().events;
    }
    expect(total).toBe(100);
    expect(w.events).toBe(100);
  });
});
