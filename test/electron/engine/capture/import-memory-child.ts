import { join } from 'node:path';
import { openSourceFile } from '../../../../electron/engine/capture/open-source';
import { fileChunks } from '../../../../electron/engine/capture/file-chunks';
import { MemorySource } from '../../../../electron/engine/capture/memory-source';
import type { EventSource } from '../../../../electron/engine/capture/event-source';
import { decodePcap } from '../../../../electron/engine/pcap/pcap-import';
import { writeBigHar, writeBigPcap } from './big-import';

/**
 * Child process of the bounded-memory test (run with --expose-gc): writes a big pcap or HAR into DIR, then imports
 * it as a user's open does (spooled) or the way imports held their events before (memory), and prints one JSON
 * line: the source's counts, the heap it retains while open (after a full GC: objects, not the index's typed arrays, whose backing stores
 * are freed on another thread at a time of its own) and the growth of the process's peak
 * RSS during the import (the file is written first, piece by piece, so the peak before is the runtime's own).
 * Usage: import-memory-child.ts pcap|har spooled|memory MESSAGES DIR
 */
const [kind, mode, count, dir] = process.argv.slice(2) as [string, string, string, string];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const messages = Number(count);
const path = join(dir, kind === 'har' ? 'big.har' : 'big.pcap');
const bytes = kind === 'har' ? writeBigHar(path, 10, Math.ceil(messages / 10)) : writeBigPcap(path, messages);
gc();
const heap0 = process.memoryUsage().heapUsed;
const rss0 = process.resourceUsage().maxRSS;
let source: EventSource;
if (mode === 'spooled') {
  source = await openSourceFile(path, { id: 'big' });
  await source.whenIndexed();
} else {
  const d = decodePcap(fileChunks(path));
  source = new MemorySource('big', 'capture', 'big.pcap', d.events, d.findings, d.connections);
}
const peakGrowthKb = process.resourceUsage().maxRSS - rss0;
gc();
const retained = process.memoryUsage().heapUsed - heap0;
const s = source.stats();
const info = source.info();
await source.close();
process.stdout.write(
  JSON.stringify({
    bytes,
    events: s.events,
    frames: s.frames,
    findings: info.findings.length,
    retained,
    peakGrowthKb,
    maxRssKb: process.resourceUsage().maxRSS,
  }) + '\n',
);
