import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openSourceFile } from '../../../../electron/engine/capture/open-source';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { Harness } from '../engine-harness';
import { writeBigHar, writeBigPcap } from './big-import';

const cleanups = cleanupsAfterEach();

/**
 * A charger calling the endpoint one call at a time while the same process opens a big file: the calls it got
 * answered while the import ran (an import that held the event loop would leave it none until the end).
 */
async function answeredDuringImport(path: string): Promise<{ answered: number; events: number }> {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen();
  const ws = new WebSocket(url + 'BESIDE', ['ocpp1.6']);
  cleanups.push(async () => ws.terminate());
  await new Promise<void>((r, e) => (ws.once('open', () => r()), ws.once('error', e)));
  let n = 0;
  let answered = 0;
  let importing = true;
  const call = (): void => ws.send(JSON.stringify([2, `h${n++}`, 'Heartbeat', {}]));
  ws.on('message', () => {
    if (!importing) return;
    answered++;
    call();
  });
  call();
  const root = mkdtempSync(join(tmpdir(), 'beside-'));
  try {
    const source = await openSourceFile(path, { id: 'beside', tempRoot: root });
    importing = false;
    await source.whenIndexed();
    const events = source.info().events;
    await source.close();
    return { answered, events };
  } finally {
    importing = false;
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the live endpoint while a big file is imported in the same process', () => {
  it('keeps answering a charger while a 50,000-frame pcap and a one-connection HAR of 50,000 messages open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beside-files-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const pcap = join(dir, 'big.pcap');
    writeBigPcap(pcap, 50_000);
    const p = await answeredDuringImport(pcap);
    expect(p.events).toBe(50_001);
    expect(p.answered).toBeGreaterThanOrEqual(20);
    const har = join(dir, 'one.har');
    writeBigHar(har, 1, 50_000);
    const o = await answeredDuringImport(har);
    expect(o.events).toBe(50_001);
    expect(o.answered).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
