import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferEvent } from '../../../../shared/capture/events';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { TransferFolder } from '../../../../electron/engine/files/transfer-folder';
import { TransferService } from '../../../../electron/engine/files/transfer-service';
import { FilesHarness, bytes } from './transfer-harness';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * A peer whose socket goes away as the write carrying its `hangUpAt`-th byte lands: reset (ECONNRESET) or broken
 * (EPIPE), the race a charger that closes at Content-Length makes with our side seeing the response finish.
 */
function hangingUpPeer(hangUpAt: number, code: 'ECONNRESET' | 'EPIPE'): Writable {
  let got = 0;
  const peer: Writable = new Writable({
    write(chunk: Buffer, _enc, callback) {
      got += chunk.length;
      if (got < hangUpAt) return callback();
      peer.destroy(Object.assign(new Error(`socket ${code}`), { code }));
    },
  });
  return peer;
}

describe('a download whose client hangs up', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function service(file: Buffer): Promise<{ svc: TransferService; path: string }> {
    dir = await mkdtemp(join(tmpdir(), 'scope-transfer-'));
    const path = join(dir, 'fw.bin');
    await writeFile(path, file);
    return { svc: new TransferService(new EventStream(), new TransferFolder(dir)), path };
  }

  it.each(['ECONNRESET', 'EPIPE'] as const)(
    'with every byte, at once (%s), is recorded complete with the SHA-256 of what was sent',
    async (code) => {
      const file = bytes(300_000, 5);
      const { svc, path } = await service(file);
      const range = { start: 0, end: file.length - 1, total: file.length };
      const done = await svc.download(path, range, hangingUpPeer(file.length, code), {
        protocol: 'http',
        direction: 'download',
        name: 'fw.bin',
        size: file.length,
      });
      expect(done).toMatchObject({ phase: 'completed', bytes: file.length, sha256: sha(file) });
    },
  );

  it('with part of the bytes is recorded failed (the near miss)', async () => {
    const file = bytes(300_000, 5);
    const { svc, path } = await service(file);
    const range = { start: 0, end: file.length - 1, total: file.length };
    const done = await svc.download(path, range, hangingUpPeer(100_000, 'ECONNRESET'), {
      protocol: 'http',
      direction: 'download',
      name: 'fw.bin',
      size: file.length,
    });
    expect(done?.phase).toBe('failed');
    expect(done?.findings?.[0]?.code).toBe('transfer-aborted');
  });
});

/** Reads one HTTP response to the last body byte over a raw socket, then resets the connection at once. */
function getAndReset(url: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no whole response within 15 s'));
    }, 15_000);
    let head = '';
    let body = 0;
    let length = -1;
    socket.on('connect', () => socket.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      if (length < 0) {
        const text = chunk.toString('latin1');
        const end = (head + text).indexOf('\r\n\r\n');
        if (end < 0) {
          head += text;
          return;
        }
        const all = head + text;
        length = Number(/content-length:\s*(\d+)/i.exec(all.slice(0, end))?.[1] ?? NaN);
        body += Buffer.byteLength(all.slice(end + 4), 'latin1');
      } else body += chunk.length;
      if (body >= length) {
        clearTimeout(timer);
        socket.resetAndDestroy();
        resolve(body);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('file server: a real client that reads every byte and resets the connection at once', () => {
  let h: FilesHarness;
  afterEach(async () => h?.stop());

  it('leaves every such download recorded as complete, never failed', async () => {
    h = await new FilesHarness().start();
    const fw = bytes(1_000_000, 9);
    await writeFile(join(h.dir, 'fw.bin'), fw);
    const ticket = await h.server.prepare({ identity: 'CP-9', action: 'UpdateFirmware', firmware: 'fw.bin' });
    const url = h.url('http', ticket.urls);
    const rounds = 8;
    for (let i = 0; i < rounds; i++) expect(await getAndReset(url)).toBe(fw.length);
    const ended: TransferEvent[] = [];
    for (let n = 1; n <= rounds; n++) ended.push(await h.ended(n));
    expect(ended.map((e) => e.phase)).toEqual(Array(rounds).fill('completed'));
    expect(ended.every((e) => e.bytes === fw.length && e.sha256 === sha(fw))).toBe(true);
  });
});
