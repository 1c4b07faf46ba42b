import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../shared/capture/format';
import type { ScopeEvent } from '../../../shared/capture/events';
import { runInspect } from '../../../electron/host/commands/inspect';
import { terminalProgress } from '../../../electron/host/progress';
import { testIo } from './commands/cli-test-io';
import { testTempDir } from '../../support/temp-dirs';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (t: string) => writes.push(t) } };
}

describe('terminalProgress', () => {
  it('draws one line in place on a terminal, throttled, and clears it when done', () => {
    const { writes, stream } = sink(true);
    let clock = 0;
    const p = terminalProgress(stream, 'Indexing', 100, () => clock);
    p.update('10 %');
    clock = 50;
    p.update('20 %'); // within the interval: skipped
    clock = 150;
    p.update('30 %');
    p.done();
    expect(writes).toEqual(['\r\x1b[2KIndexing: 10 %', '\r\x1b[2KIndexing: 30 %', '\r\x1b[2K']);
  });

  it('writes nothing when the output is not a terminal', () => {
    const { writes, stream } = sink(false);
    const p = terminalProgress(stream, 'Converting');
    p.update('1 MB');
    p.done();
    expect(writes).toEqual([]);
  });
});

describe('progress in the CLI', () => {
  it('inspect shows an indexing line on a terminal and clears it before the summary; piped output has none', async () => {
    const dir = testTempDir('progress');
    const file = join(dir, 's.ocppcap.jsonl');
    const events: ScopeEvent[] = Array.from({ length: 50 }, (_, i) => ({
      kind: 'note',
      seq: i,
      t: 1_700_000_000_000 + i,
      mono: i,
      conn: 'c1',
      source: 'user',
      text: `n${i}`,
    }));
    writeFileSync(file, encodeCapture(makeHeader('t'), events));

    const onTerminal = testIo();
    (onTerminal.io.stderr as { isTTY?: boolean }).isTTY = true;
    expect(await runInspect([file], onTerminal.io)).toBe(0);
    expect(onTerminal.err()).toContain('Reading: ');
    expect(onTerminal.err()).toContain('events indexed');
    expect(onTerminal.err().endsWith('\r\x1b[2K')).toBe(true);

    const piped = testIo();
    expect(await runInspect([file], piped.io)).toBe(0);
    expect(piped.err()).not.toContain('Reading');
    expect(piped.out()).toBe(onTerminal.out());
  });
});
