import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineNotice } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { NoticeBatcher } from '../../../../electron/engine/facade/notice-batcher';

const note = (seq: number): ScopeEvent => ({
  kind: 'note',
  seq,
  t: 0,
  mono: 0,
  conn: '',
  source: 'engine',
  text: `n${seq}`,
});

describe('NoticeBatcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers at most one batch per interval, events first, keeping every event and the newest status', () => {
    vi.useFakeTimers();
    const batcher = new NoticeBatcher(50);
    const batches: EngineNotice[][] = [];
    batcher.subscribe((b) => batches.push(b));
    for (let i = 0; i < 1000; i++) batcher.pushEvent('live', note(i));
    batcher.pushStatus({ type: 'endpoint', status: { running: true, urls: ['a'] } });
    batcher.pushStatus({ type: 'endpoint', status: { running: false, urls: [] } });
    batcher.pushStatus({ type: 'recording', status: { on: true, events: 0, bytes: 0 } });
    vi.advanceTimersByTime(49);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch!.map((n) => n.type)).toEqual(['events', 'endpoint', 'recording']);
    expect(batch![0]).toMatchObject({ sourceId: 'live' });
    expect((batch![0] as { events: ScopeEvent[] }).events.map((e) => e.seq)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    expect(batch![1]).toEqual({ type: 'endpoint', status: { running: false, urls: [] } });
    vi.advanceTimersByTime(500);
    expect(batches).toHaveLength(1);
  });

  it('keeps one source notice per source', () => {
    vi.useFakeTimers();
    const batcher = new NoticeBatcher(50);
    const batches: EngineNotice[][] = [];
    batcher.subscribe((b) => batches.push(b));
    const source = (id: string, events: number) => ({
      id,
      kind: 'capture' as const,
      name: id,
      events,
      indexing: true,
      findings: [],
    });
    batcher.pushStatus({ type: 'source', source: source('a', 1) });
    batcher.pushStatus({ type: 'source', source: source('b', 1) });
    batcher.pushStatus({ type: 'source', source: source('a', 2) });
    vi.advanceTimersByTime(50);
    expect(batches[0]).toEqual([
      { type: 'source', source: source('b', 1) },
      { type: 'source', source: source('a', 2) },
    ]);
  });

  it('isolates a throwing listener', () => {
    const batcher = new NoticeBatcher(50);
    const got: EngineNotice[][] = [];
    batcher.subscribe(() => {
      throw new Error('broken UI');
    });
    batcher.subscribe((b) => got.push(b));
    batcher.pushEvent('live', note(0));
    batcher.flush();
    expect(got).toHaveLength(1);
  });
});
