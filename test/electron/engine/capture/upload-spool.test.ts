import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { eventsToHar } from '../../../../shared/capture/har';
import { CaptureSources } from '../../../../electron/engine/capture/capture-sources';
import type { UploadSpoolOptions } from '../../../../electron/engine/capture/upload-spool';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { base64, uploadFile } from '../../../../renderer/src/components/upload-file';
import type { UploadApi } from '../../../../renderer/src/components/upload-file';
import { opened, session } from './fixtures';
import { testTempDir } from '../../../support/temp-dirs';

/**
 * Files sent from the browser in chunks, by the page's own uploader and by a client that breaks the rules on
 * purpose: whatever it does, memory holds one chunk, and a failed or abandoned upload leaves no file and no source.
 */

function setup(options: UploadSpoolOptions = {}): { sources: CaptureSources; api: UploadApi; root: string } {
  const root = testTempDir('upload-spool');
  const sources = new CaptureSources(new EventStream(), {
    tool: 't',
    uploads: { chunkBytes: 1000, tempRoot: root, ...options },
  });
  const api: UploadApi = {
    beginUpload: (name, size) => sources.uploads.begin(name, size),
    uploadChunk: (id, offset, data) => sources.uploads.chunk(id, offset, data),
    finishUpload: (id) => sources.finishUpload(id),
    cancelUpload: (id) => sources.uploads.cancel(id),
  };
  return { sources, api, root };
}

const leftovers = (root: string): string[] => readdirSync(root);

function captureFile(n: number): File {
  const text = encodeCapture(makeHeader('t', [opened(0, 'c1', 'CP-1').connection]), session('c1', 'CP-1', n));
  return new File([text], 'session.ocppcap.jsonl');
}

const chunkOf = (bytes: number): string => base64(new Uint8Array(bytes).fill(0x20));

describe('uploads in chunks (serve mode open)', () => {
  it('a capture many chunks long opens like the file on disk, and closing it removes the copy', async () => {
    const { sources, api, root } = setup();
    const file = captureFile(60);
    const progress: number[] = [];
    const info = await uploadFile(api, file, (sent) => progress.push(sent));
    expect(info).toMatchObject({ name: 'session.ocppcap.jsonl', kind: 'capture' });
    expect(progress.length).toBe(Math.ceil(file.size / 1000));
    expect(progress.at(-1)).toBe(file.size);
    await sources.get(info.id).whenIndexed();
    expect((await sources.query(info.id, {}, 0, 100)).total).toBe(60);
    expect(sources.uploads.open).toBe(0);
    expect(leftovers(root)).toHaveLength(1);
    await sources.close(info.id);
    expect(leftovers(root)).toEqual([]);
  });

  it('HAR arrives the same way (decoded once all of it is in)', async () => {
    const { sources, api } = setup();
    const har = new File([eventsToHar(session('c1', 'CP-1', 20))], 'devtools.har');
    const info = await uploadFile(api, har);
    expect((await sources.query(info.id, { action: 'Heartbeat' }, 0, 100)).total).toBeGreaterThan(0);
    await sources.closeAll();
  });

  it('a file over the limit is refused before a byte is sent, with the way to open it instead', async () => {
    const { sources, api, root } = setup({ maxBytes: 5000 });
    const err = await uploadFile(api, captureFile(200)).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('too-large');
    expect(err?.message).toMatch(
      /session\.ocppcap\.jsonl: .* is over the 4\.9 KB .*desktop app.*ocpp-scope inspect/,
    );
    expect(sources.uploads.open).toBe(0);
    expect(leftovers(root)).toEqual([]);
  });

  it('an empty file is refused as empty', async () => {
    const { api } = setup();
    await expect(uploadFile(api, new File([], 'x.har'))).rejects.toMatchObject({ code: 'empty' });
  });

  it('a hostile client: chunks out of order, oversized, past the announced size, or finished early', async () => {
    const { sources, root } = setup();
    const spool = sources.uploads;
    const cases: Array<[string, (id: string) => Promise<unknown>, RegExp]> = [
      ['gap', (id) => spool.chunk(id, 500, chunkOf(10)), /at byte 500 .* byte 0 was expected/],
      ['too big a chunk', (id) => spool.chunk(id, 0, chunkOf(1001)), /a chunk of 1001 bytes/],
      ['empty chunk', (id) => spool.chunk(id, 0, ''), /a chunk of 0 bytes/],
      ['past the size', (id) => spool.chunk(id, 0, chunkOf(200)), /more than the 100 bytes announced/],
      ['early finish', (id) => sources.finishUpload(id), /after 0 of the 100 bytes/],
      [
        'two chunks at once',
        (id) => Promise.all([spool.chunk(id, 0, chunkOf(50)), spool.chunk(id, 50, chunkOf(50))]),
        /before the previous one was answered|at byte 50 .* byte 0/,
      ],
    ];
    for (const [what, act, message] of cases) {
      const { uploadId } = await spool.begin('x.ocppcap.jsonl', 100);
      await expect(act(uploadId), what).rejects.toThrow(message);
      // The upload is gone with its file: the client cannot go on, and nothing stays on disk.
      expect(spool.open, what).toBe(0);
      expect(leftovers(root), what).toEqual([]);
      await expect(spool.chunk(uploadId, 0, chunkOf(10)), what).rejects.toMatchObject({ code: 'not-found' });
    }
    expect(sources.list()).toHaveLength(1); // the live session only: no half-opened source
  });

  it('content that is no format we read fails at finish and leaves nothing', async () => {
    const { sources, api, root } = setup();
    await expect(uploadFile(api, new File(['hello, world'], 'notes.txt'))).rejects.toMatchObject({
      code: 'unknown-format',
    });
    expect(sources.list()).toHaveLength(1);
    expect(leftovers(root)).toEqual([]);
  });

  it('a failure half way cancels: the page uploader drops what was sent', async () => {
    const { sources, api, root } = setup();
    let sent = 0;
    const failing: UploadApi = {
      ...api,
      uploadChunk: async (id, offset, data) => {
        if (++sent === 3) throw new Error('connection lost');
        return api.uploadChunk(id, offset, data);
      },
    };
    await expect(uploadFile(failing, captureFile(60))).rejects.toThrow('connection lost');
    expect(sources.uploads.open).toBe(0);
    expect(leftovers(root)).toEqual([]);
  });

  it('cancelled from the page half way (Cancel in the status bar): nothing is kept', async () => {
    const { sources, api, root } = setup();
    const abort = new AbortController();
    const sent: number[] = [];
    const upload = uploadFile(
      api,
      captureFile(60),
      (n) => {
        sent.push(n);
        if (sent.length === 3) abort.abort();
      },
      abort.signal,
    );
    await expect(upload).rejects.toThrow(/session\.ocppcap\.jsonl was cancelled/);
    expect(sent).toHaveLength(3);
    expect(sources.uploads.open).toBe(0);
    expect(leftovers(root)).toEqual([]);
    expect(sources.list()).toHaveLength(1);
  });

  it('uploads at once are bounded, and an abandoned one is dropped after its idle time', async () => {
    const { sources, root } = setup({ maxOpen: 2, idleMs: 100 });
    const spool = sources.uploads;
    await spool.begin('a.har', 10);
    await spool.begin('b.har', 10);
    await expect(spool.begin('c.har', 10)).rejects.toThrow(/2 files are being opened already/);
    // Nobody sends the next chunk: both are given up (the wait is for the spool to empty, bounded).
    await expect.poll(() => spool.open, { timeout: 15_000, interval: 20 }).toBe(0);
    await expect.poll(() => leftovers(root), { timeout: 15_000, interval: 20 }).toEqual([]);
  });

  it('closing the engine cancels uploads in progress', async () => {
    const { sources, root } = setup();
    const { uploadId } = await sources.uploads.begin('a.ocppcap.jsonl', 100);
    await sources.uploads.chunk(uploadId, 0, chunkOf(50));
    await sources.closeAll();
    expect(leftovers(root)).toEqual([]);
  });
});
