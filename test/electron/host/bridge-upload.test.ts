import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeCapture, makeHeader } from '../../../shared/capture/format';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import type { ServeHandle } from '../../../electron/host/serve';
import { startServe } from '../../../electron/host/serve';
import type { SocketFactory } from '../../../renderer/src/api/bridge-client';
import { createBridgeClient } from '../../../renderer/src/api/bridge-client';
import { base64, uploadFile } from '../../../renderer/src/components/upload-file';
import { opened, session } from '../engine/capture/fixtures';
import { suiteTempDir } from '../../support/temp-dirs';

/**
 * Opening a file in serve mode over the real bridge: the page's uploader sends it in chunks; a page that goes away
 * half way (closed tab, reload) leaves nothing behind on the host; a message as big as the old one-piece upload is
 * refused by the socket itself.
 */

const wsFactory: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

describe('serve mode: opening files in chunks', () => {
  let engine: ScopeEngine;
  let handle: ServeHandle;
  let spoolRoot: string;

  const dir = suiteTempDir('bridge-upload');
  beforeAll(async () => {
    const rendererRoot = join(dir, 'renderer');
    spoolRoot = join(dir, 'spool');
    mkdirSync(rendererRoot, { recursive: true });
    mkdirSync(spoolRoot);
    writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html>');
    engine = new ScopeEngine({
      dataDir: join(dir, 'data'),
      noticeIntervalMs: 20,
      uploads: { chunkBytes: 4096, tempRoot: spoolRoot },
    });
    handle = await startServe({ engine, rendererRoot });
  });
  afterAll(async () => {
    await handle.close();
    await engine.close();
  });

  it('a capture sent chunk by chunk opens and can be queried', async () => {
    const api = createBridgeClient(handle.bridgeUrl, wsFactory);
    try {
      const text = encodeCapture(
        makeHeader('t', [opened(0, 'c1', 'CP-1').connection]),
        session('c1', 'CP-1', 80),
      );
      let chunks = 0;
      const info = await uploadFile(api, new File([text], 'big.ocppcap.jsonl'), () => chunks++);
      expect(chunks).toBe(Math.ceil(text.length / 4096));
      expect((await api.listSources()).map((s) => s.id)).toContain(info.id);
      await expect
        .poll(async () => (await api.queryEvents(info.id, {}, 0, 1)).total, { timeout: 15_000 })
        .toBe(80);
      await api.closeSource(info.id);
      expect(readdirSync(spoolRoot)).toEqual([]);
    } finally {
      api.close();
    }
  });

  it('a page that goes away half way through leaves no file and no source', async () => {
    const api = createBridgeClient(handle.bridgeUrl, wsFactory);
    const ticket = await api.beginUpload('gone.ocppcap.jsonl', 100_000);
    await api.uploadChunk(ticket.uploadId, 0, base64(new Uint8Array(4096).fill(0x20)));
    expect(readdirSync(spoolRoot)).toHaveLength(1);
    const before = (await api.listSources()).length;
    api.close();
    await expect.poll(() => readdirSync(spoolRoot), { timeout: 15_000, interval: 20 }).toEqual([]);
    const again = createBridgeClient(handle.bridgeUrl, wsFactory);
    try {
      expect(await again.listSources()).toHaveLength(before);
      await expect(
        again.uploadChunk(ticket.uploadId, 4096, base64(new Uint8Array(10))),
      ).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      again.close();
    }
  });

  it('one message of a whole large file (the old way) is refused by the socket, not held in memory', async () => {
    const ws = new WebSocket(handle.bridgeUrl);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const data = 'x'.repeat(65 * 1024 * 1024);
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'openContent', args: ['a.har', data, 'utf8'] }));
    expect(await closed).toBe(1009);
  });
});
