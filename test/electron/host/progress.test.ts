import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../electron/host/progress';

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
