import { spawn } from 'node:child_process';
import { readFileSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { Recorder } from '../../../../electron/engine/capture/recorder';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { matchStdout, stopChild, type Exit } from '../../../support/child-process';
import { Wake } from '../../../support/wake';
import { testTempDir } from '../../../support/temp-dirs';

describe('Recorder', () => {
  it('records the stream with a header naming connections opened before it started', async () => {
    const folder = testTempDir('rec');
    const stream = new EventStream();
    const statuses: boolean[] = [];
    const rec = new Recorder(stream, { folder, tool: 'test', onStatus: (s) => statuses.push(s.on) });
    stream.emit({
      kind: 'opened',
      conn: 'c1',
      ok: true,
      connection: { id: 'c1', role: 'endpoint', identity: 'CP-9', url: 'ws://127.0.0.1/CP-9' },
      handshake: {
        request: { startLine: 'GET /CP-9 HTTP/1.1', headers: [] },
        offeredProtocols: [],
        findings: [],
      },
    });
    rec.start();
    stream.emit({
      kind: 'frame',
      conn: 'c1',
      sender: 'station',
      text: '[2,"1","Heartbeat",{}]',
      findings: [],
    });
    stream.emit({ kind: 'note', conn: 'c1', source: 'user', text: 'hello' });
    const s = rec.stop();
    stream.emit({ kind: 'note', conn: 'c1', source: 'user', text: 'not recorded' });
    expect(s).toMatchObject({ on: false, events: 2 });
    expect(statuses).toEqual([true, false]);
    const f = await CaptureFile.open(s.file!);
    await f.whenIndexed();
    expect(f.header?.connections[0]?.identity).toBe('CP-9');
    expect((await f.query({ identity: 'CP-9' }, 0, 10)).total).toBe(2);
    expect((await readAllEvents(f)).map((e) => e.seq)).toEqual([1, 2]);
    await f.close();
    // Once c1 has closed, a later recording's header does not name it as open.
    stream.emit({ kind: 'closed', conn: 'c1', code: 1000, reason: '', by: 'remote', clean: true });
    const later = rec.start();
    rec.stop();
    const g = await CaptureFile.open(later.file!);
    await g.whenIndexed();
    expect(g.header?.connections).toEqual([]);
    await g.close();
  });

  it('never appends to an existing file when two sessions get the same name', async () => {
    const folder = testTempDir('rec-same');
    const stream = new EventStream();
    const fixed = new Date('2025-01-01T00:00:00Z');
    const rec = new Recorder(stream, { folder, tool: 'test', now: () => fixed });
    const files: string[] = [];
    for (let i = 0; i < 2; i++) {
      rec.start();
      stream.emit({ kind: 'note', conn: 'c', source: 'user', text: `session ${i}` });
      files.push(rec.stop().file!);
    }
    expect(files[0]).not.toBe(files[1]);
    for (const file of files) {
      const f = await CaptureFile.open(file);
      await f.whenIndexed();
      expect(f.info()).toMatchObject({ events: 1, findings: [] });
      await f.close();
    }
  });

  it('loses at most the last partial event when the process is killed with SIGKILL mid-flood', async () => {
    const folder = testTempDir('kill');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'flood-recorder.ts'), folder],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let killed: Exit;
    let file: string;
    // Killed in `finally` whatever happens before (no "file" line, a timeout): the flood never outlives the test.
    try {
      file = (await matchStdout(child, /file (.+)\n/, 'the capture file name'))[1]!;
      // Each write in the folder wakes a size check (inotify via fs.watch, on the folder so the file may not exist
      // yet); kill without warning past 2 MB.
      const wake = new Wake();
      const watcher = watch(folder, wake.notify);
      const sizeOnDisk = () => {
        try {
          return statSync(file).size;
        } catch {
          return 0; // not there yet
        }
      };
      try {
        await wake.until('2 MB of capture on disk', () => sizeOnDisk() > 2_000_000, 20_000);
      } finally {
        watcher.close();
      }
    } finally {
      killed = await stopChild(child, 'SIGKILL');
    }
    expect(killed.signal).toBe('SIGKILL');
    const text = readFileSync(file, 'utf8');
    const completeLines = text.split('\n').length - 1; // header + complete events
    const f = await CaptureFile.open(file);
    await f.whenIndexed();
    const info = f.info();
    expect(info.events).toBe(completeLines - 1);
    expect(info.events).toBeGreaterThan(1000);
    // Either the kill landed between writes (no finding) or inside one (one truncated tail).
    expect(info.findings.length).toBeLessThanOrEqual(1);
    if (info.findings.length === 1) expect(info.findings[0]!.code).toBe('capture-truncated-tail');
    const last = await f.query({}, info.events - 1, 1);
    expect(last.events[0]!.seq).toBe(info.events - 1 + 1);
    await f.close();
  });
});
