import { describe, expect, it } from 'vitest';
import type { NoteEvent, ScopeEvent } from '../../../../shared/capture/events';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { LiveStore } from '../../../../electron/engine/capture/live-store';

function frame(stream: EventStream, i: number, size: number): void {
  stream.emit({
    kind: 'frame',
    conn: 'c1',
    sender: 'station',
    text: `${i}:`.padEnd(size, 'x'),
    findings: [],
  });
}

describe('live store memory bound', () => {
  it('keeps the newest events within its byte budget and says once that older ones were dropped', async () => {
    const stream = new EventStream();
    const seen: ScopeEvent[] = [];
    stream.subscribe((e) => seen.push(e));
    const budget = 1024 * 1024;
    const store = new LiveStore(stream, 200_000, budget);
    // 200 frames of 64 KB: about 25 MB of text against a 1 MB budget.
    for (let i = 0; i < 200; i++) frame(stream, i, 64 * 1024);
    await Promise.resolve();
    const kept = store.all();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(200);
    expect(store.heldBytes).toBeLessThanOrEqual(budget);
    const texts = kept.filter((e) => e.kind === 'frame').map((e) => e.text.split(':')[0]);
    expect(texts.at(-1)).toBe('199');
    const notes = seen.filter((e): e is NoteEvent => e.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toMatch(/dropped from memory/);
    expect(store.info().findings.map((f) => f.code)).toContain('live-events-dropped');
    // Queries see the list as it is now, not a stale cached index.
    const page = await store.query({}, 0, 10_000);
    expect(page.total).toBe(store.all().length);
    store.detach();
  });

  it('the default budget bounds memory too: 300 frames of 1 MB do not all stay', () => {
    const stream = new EventStream();
    const store = new LiveStore(stream);
    for (let i = 0; i < 300; i++) frame(stream, i, 1024 * 1024);
    expect(store.all().length).toBeLessThan(300);
    expect(store.heldBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
    store.detach();
  });
});
