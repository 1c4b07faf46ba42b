import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventQuery } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { matchesQuery } from '../../../../shared/capture/query';
import { CaptureFile } from '../../../../electron/engine/capture/capture-file';
import { MemorySource } from '../../../../electron/engine/capture/memory-source';
import { session } from './fixtures';
import { testTempDir } from '../../../support/temp-dirs';

// The capture index answers from its columns and reads lines only where a term needs them; the in-memory source
// and the plain matcher read every event. All three must agree on every query.
const QUERIES: EventQuery[] = [
  { filter: 'action:Heartbeat' },
  { filter: 'action:Heartbeat OR action:MeterValues' },
  { filter: 'NOT from:cs' },
  { filter: '-kind:frame' },
  { filter: 'type:result cp:CP-2' },
  { filter: 'is:findings OR "quoted"' },
  { filter: 'code:schema-additional-property' },
  { filter: 'is:warning -cp:CP-1' },
  { filter: '(action:BootNotification OR acme) NOT type:result' },
  { filter: 'Acme OR x1' },
  { action: 'MeterValues', filter: 'NOT is:findings' },
  { identity: 'cp-1', text: 'Heartbeat' },
  { sender: 'csms', filter: 'since:1700000001000 until:1700000003000' },
];

describe('one filter, three evaluators', () => {
  it('gives the same matches from the capture index, memory and the plain matcher', async () => {
    const events: ScopeEvent[] = [...session('c1', 'CP-1', 300), ...session('c2', 'CP-2', 300, 300)];
    const dir = testTempDir('parity');
    const path = join(dir, 'p.ocppcap.jsonl');
    writeFileSync(path, encodeCapture(makeHeader('test'), events));
    const file = await CaptureFile.open(path);
    try {
      await file.whenIndexed();
      const memory = new MemorySource('m', 'capture', 'm', events);
      const ids = new Map([
        ['c1', 'CP-1'],
        ['c2', 'CP-2'],
      ]);
      for (const q of QUERIES) {
        const plain = events
          .filter((e) => matchesQuery(e, q, { identityOf: (c) => ids.get(c) }))
          .map((e) => e.seq);
        const fromFile = (await file.query(q, 0, 10_000)).events.map((e) => e.seq);
        const fromMemory = (await memory.query(q, 0, 10_000)).events.map((e) => e.seq);
        expect(plain.length, JSON.stringify(q)).toBeGreaterThan(0);
        expect(plain.length, JSON.stringify(q)).toBeLessThan(events.length);
        expect(fromFile, JSON.stringify(q)).toEqual(plain);
        expect(fromMemory, JSON.stringify(q)).toEqual(plain);
      }
    } finally {
      await file.close();
    }
  });

  it('matches nothing for a filter that does not parse (the UI and CLI refuse it before)', async () => {
    const events = session('c1', 'CP-1', 20);
    const memory = new MemorySource('m', 'capture', 'm', events);
    expect((await memory.query({ filter: 'colour:red' }, 0, 100)).total).toBe(0);
  });
});
