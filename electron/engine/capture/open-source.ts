import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { annotateFrames, isBare, versionsOf } from '../../../shared/capture/annotate';
import type { AnnotateOptions } from '../../../shared/capture/annotate';
import { CAPTURE_FORMAT, CAPTURE_FORMAT_VERSION, parseEventLine } from '../../../shared/capture/format';
import { harToEvents } from '../../../shared/capture/har';
import { isEmptyContent } from '../../../shared/capture/capture-line-rules';
import { CaptureFile } from './capture-file';
import { decodeCaptureBytes } from './event-bytes';
import { FileChunkFeed } from './file-chunks';
import { decompress, sniffCompression } from './compressed';
import type { EventSource } from './event-source';
import { spoolHar, spoolPcap } from './import-spool';
import { MemorySource } from './memory-source';
import { readAt } from './read-fully';
import { decodePcap } from '../pcap/pcap-import';
import { sniffContainer } from '../pcap/pcap-file';

/**
 * Opens any file the tool reads as an EventSource, by content first and extension second: capture files stream
 * from disk (any size); pcap/pcapng and HAR files are read chunk by chunk (a HAR one entry, that is one WebSocket
 * connection, at a time) and their decoded events spooled to a private capture file read the same way (see
 * import-spool.ts). openSourceData decodes content already in memory, into memory.
 */

export type DetectedFormat = 'capture' | 'har' | 'pcap' | 'unknown';

export function detectFormat(head: Uint8Array, name: string): DetectedFormat {
  if (sniffContainer(head)) return 'pcap';
  const text = new TextDecoder().decode(head.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (text.includes(`"format":"${CAPTURE_FORMAT}"`) || text.includes(`"format": "${CAPTURE_FORMAT}"`))
    return 'capture';
  const ext = extname(name).toLowerCase();
  if (ext === '.har' || /^\s*\{\s*"log"\s*:/.test(text)) return 'har';
  if (ext === '.pcap' || ext === '.pcapng' || ext === '.cap') return 'pcap';
  if (ext === '.jsonl' || name.endsWith('.ocppcap.jsonl') || /^\s*\{\s*"seq"\s*:/.test(text))
    return 'capture';
  return 'unknown';
}

export class OpenError extends Error {
  constructor(
    readonly code: 'not-found' | 'unreadable' | 'unknown-format' | 'too-large' | 'empty',
    message: string,
  ) {
    super(message);
    this.name = 'OpenError';
  }
}

const MAX_IN_MEMORY = 1024 * 1024 * 1024;

export interface OpenOptions {
  id: string;
  onProgress?: (source: EventSource) => void;
  /** Options of the analysis pipeline imported frames go through (behaviour rules). */
  annotate?: AnnotateOptions;
  /** Where an import's private spool directory is made (default: the system's temporary directory). */
  tempRoot?: string;
}

export async function openSourceFile(path: string, options: OpenOptions): Promise<EventSource> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new OpenError(
      'not-found',
      `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  let head: Uint8Array;
  try {
    const fh = await open(path, 'r');
    head = await readAt(fh, 0, Math.min(size, 4096)).finally(() => fh.close());
  } catch (e) {
    throw new OpenError('unreadable', `${path}: ${(e as Error).message}`);
  }
  const name = basename(path);
  if (isEmptyContent(head) && (size <= head.length || (await emptyFrom(path, head.length, size))))
    throw emptyFile(name);
  if (sniffCompression(head)) {
    if (size > MAX_IN_MEMORY)
      throw new OpenError('too-large', `${name}: compressed files over 1 GB are not supported.`);
    const data = await readFile(path);
    const inner = decompressed(name, data);
    // A compressed pcap's content is in memory, its events need not be: spooled like an uncompressed one.
    if (detectFormat(inner.data.subarray(0, 4096), inner.name) === 'pcap')
      return spoolPcap(inner.name, inner.data, options);
    return openSourceData(inner.name, inner.data, options.id, options.annotate);
  }
  const format = detectFormat(head, name);
  // A capture whose frames lack their analysis (another tool wrote it) is analysed like an import, in memory.
  if (format === 'capture' && !(bareFrames(head) && size <= MAX_IN_MEMORY)) {
    const holder: { file?: CaptureFile } = {};
    holder.file = await CaptureFile.open(path, {
      id: options.id,
      ...(options.onProgress ? { onProgress: () => holder.file && options.onProgress!(holder.file) } : {}),
    });
    return holder.file;
  }
  if (format === 'unknown') {
    throw new OpenError(
      'unknown-format',
      `${name}: unknown file type (expected a capture, .har, .pcap or .pcapng).`,
    );
  }
  // Read as a stream, the decoded events spooled to a private capture file: memory holds its index, not the events.
  if (format === 'pcap' || format === 'har') {
    const feed = await FileChunkFeed.open(path);
    try {
      return await (format === 'pcap' ? spoolPcap(name, feed, options) : spoolHar(name, feed, options));
    } finally {
      await feed.close();
    }
  }
  if (size > MAX_IN_MEMORY)
    throw new OpenError('too-large', `${name}: ${format} files over 1 GB are not supported.`);
  return openSourceData(name, await readFile(path), options.id, options.annotate);
}

function emptyFile(name: string): OpenError {
  return new OpenError('empty', `${name}: not a capture (empty file / no header).`);
}

/** Whether the file past `from` holds only whitespace (read on only when its head did). */
async function emptyFrom(path: string, from: number, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    for (let pos = from; pos < size; pos += 1 << 16) {
      const chunk = await readAt(fh, pos, Math.min(1 << 16, size - pos));
      if (chunk.length === 0) return true;
      if (!isEmptyContent(chunk, false)) return false;
    }
    return true;
  } catch (e) {
    throw new OpenError('unreadable', `${path}: ${(e as Error).message}`);
  } finally {
    await fh.close();
  }
}

/** Whether the first frame in the file's head has none of its analysis (the writer did not analyse). */
function bareFrames(head: Uint8Array): boolean {
  const lines = new TextDecoder().decode(head).split('\n');
  // The last line of the head may be cut short.
  for (const line of lines.slice(0, -1)) {
    if (!line.includes('"frame"')) continue;
    // A verbatim line (version 2) is read as one whatever the header says: it has its analysis (msg), so not bare.
    const r = parseEventLine(line, CAPTURE_FORMAT_VERSION);
    if (r.ok && r.value.kind === 'frame') return !r.value.binary && isBare(r.value);
  }
  return false;
}

function pcapSource(
  name: string,
  input: Uint8Array | Iterable<Uint8Array>,
  id: string,
  annotate: AnnotateOptions = {},
): EventSource {
  const d = decodePcap(input, annotate);
  return new MemorySource(id, 'capture', name, d.events, d.findings, d.connections);
}

/** Gzip content unwrapped (one level only), or the content itself. */
function decompressed(name: string, data: Uint8Array): { name: string; data: Uint8Array } {
  const compression = sniffCompression(data.subarray(0, 8));
  if (!compression) return { name, data };
  const d = decompress(name, data, compression, MAX_IN_MEMORY);
  if (!d.ok) throw new OpenError(d.code, d.message);
  // One level only: a file compressed again (or one that decompresses to itself) would never end.
  if (sniffCompression(d.data.subarray(0, 8)))
    throw new OpenError('unknown-format', `${name} holds another compressed file; decompress it first.`);
  return { name: d.name, data: d.data };
}

/** Content the browser picked (serve mode) or a test built: same detection, decoded in memory. */
export function openSourceData(
  name: string,
  data: Uint8Array,
  id: string,
  annotate: AnnotateOptions = {},
): EventSource {
  if (sniffCompression(data.subarray(0, 8))) {
    const d = decompressed(name, data);
    return openSourceData(d.name, d.data, id, annotate);
  }
  // The same rule as a file read from disk: the content decompressed, a BOM and whitespace are nothing to read.
  if (isEmptyContent(data)) throw emptyFile(name);
  const format = detectFormat(data.subarray(0, 4096), name);
  if (format === 'pcap') return pcapSource(name, data, id, annotate);
  if (format === 'har') {
    const h = harToEvents(new TextDecoder().decode(data), annotate);
    // JSON.parse quotes the text it choked on: say that it is not JSON, not what it contains.
    const cleaned = h.findings.map((f) =>
      f.code === 'har-not-json' ? { ...f, message: 'Not a HAR file: the content is not JSON.' } : f,
    );
    return new MemorySource(id, 'capture', name, h.events, cleaned, h.connections);
  }
  if (format === 'capture') {
    const c = decodeCaptureBytes(data);
    const connections = c.header?.connections ?? [];
    // Frames another tool wrote without their analysis get it here, as if they had been live; decided as for a file
    // read from disk (openSourceFile), from the first frame of the head: a file of analysed frames is read as written.
    let events = c.events;
    if (bareFrames(data.subarray(0, 4096))) {
      const versions = versionsOf(events, connections);
      events = annotateFrames(events, (conn) => versions.get(conn), { ...annotate, onlyBare: true });
    }
    return new MemorySource(id, 'capture', name, events, c.findings, connections);
  }
  throw new OpenError(
    'unknown-format',
    `${name}: unknown file type (expected a capture, .har, .pcap or .pcapng).`,
  );
}
