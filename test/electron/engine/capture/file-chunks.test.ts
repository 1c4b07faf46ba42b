import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileChunkFeed, fileChunks } from '../../../../electron/engine/capture/file-chunks';
import { decodePcapGivingTurns, decodePcapTo } from '../../../../electron/engine/pcap/pcap-import';
import type { Unstamped } from '../../../../electron/engine/pcap/pcap-import';
import { writeBigPcap } from './big-import';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('file-chunks');

async function allChunks(path: string, size: number): Promise<string[]> {
  const feed = await FileChunkFeed.open(path, size);
  const out: string[] = [];
  try {
    for await (const c of feed.chunks()) out.push(Buffer.from(c).toString('hex'));
  } finally {
    await feed.close();
  }
  return out;
}

/** A pcap decoded from a file read asynchronously, in small chunks; how often the decode waited for a read. */
async function decodeFed(
  path: string,
  size: number,
): Promise<{ events: Unstamped[]; r: unknown; waits: number }> {
  const feed = await FileChunkFeed.open(path, size);
  let waits = 0;
  // The feed as the decode sees it, counting the waits for a chunk not read yet.
  const counted = {
    get hungry() {
      return feed.hungry;
    },
    fed: () => (waits++, feed.fed()),
    [Symbol.iterator]: () => feed[Symbol.iterator](),
  };
  const events: Unstamped[] = [];
  try {
    const d = await decodePcapGivingTurns(counted, (e) => events.push(e));
    return { events, r: { ...d, versionOf: undefined }, waits };
  } finally {
    await feed.close();
  }
}

function decodeInOneGo(path: string): { events: Unstamped[]; r: unknown } {
  const events: Unstamped[] = [];
  const d = decodePcapTo(fileChunks(path), (e) => events.push(e));
  return { events, r: { ...d, versionOf: undefined } };
}

describe('a file read asynchronously for an import (FileChunkFeed)', () => {
  it('gives the chunks the synchronous reader gives: empty file, whole chunks, a short last one', async () => {
    const cases: [string, number][] = [
      ['empty', 0],
      ['exact', 4096 * 3],
      ['rest', 4096 * 2 + 17],
    ];
    for (const [name, size] of cases) {
      const path = join(dir, name);
      writeFileSync(path, Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) & 0xff)));
      const sync = [...fileChunks(path, 4096)].map((c) => Buffer.from(c).toString('hex'));
      expect(await allChunks(path, 4096), name).toEqual(sync);
    }
  });

  it('a pcap and a pcapng decode to the same events and findings as in one go, records cut across chunks anywhere', async () => {
    const pcap = join(dir, 'fed.pcap');
    writeBigPcap(pcap, 3_000);
    const ng = join(dir, 'fed.pcapng');
    expect(spawnSync('editcap', ['-F', 'pcapng', pcap, ng]).status).toBe(0);
    // Cut inside a packet: the finding says so, the frames before the cut are kept.
    const cut = join(dir, 'cut.pcap');
    const whole = readFileSync(pcap);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6) + 3));
    for (const path of [pcap, ng, cut]) {
      const once = decodeInOneGo(path);
      expect(once.events.length).toBeGreaterThan(1000);
      for (const size of [997, 65_536]) {
        const fed = await decodeFed(path, size);
        expect(fed.events, `${path} in chunks of ${size}`).toEqual(once.events);
        expect(fed.r).toEqual(once.r);
        // The decode waited for reads it could not do itself (synchronously).
        expect(fed.waits).toBeGreaterThan(0);
      }
    }
    expect(JSON.stringify(decodeInOneGo(cut).r)).toContain('pcap-truncated');
  });

  it('a file that cannot be read fails the decode with the error, and never hangs', async () => {
    const feed = await FileChunkFeed.open(dir); // a directory opens, and its read fails (EISDIR)
    try {
      await expect(decodePcapGivingTurns(feed, () => undefined)).rejects.toThrow(/EISDIR/);
    } finally {
      await feed.close();
    }
  });

  it('the decode in one go refuses a file read asynchronously instead of taking its first chunk for the end', async () => {
    const feed = await FileChunkFeed.open(join(dir, 'fed.pcap'));
    try {
      expect(() => decodePcapTo(feed, () => undefined)).toThrow(TypeError);
    } finally {
      await feed.close();
    }
  });
});
