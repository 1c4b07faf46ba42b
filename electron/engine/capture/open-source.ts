import { createWriteStream } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { annotateFrames, isBare, versionsOf } from '../../../shared/capture/annotate';
import type { AnnotateOptions } from '../../../shared/capture/annotate';
import { CAPTURE_FORMAT, CAPTURE_FORMAT_VERSION, parseEventLine } from '../../../shared/capture/format';
import type { Finding } from '../../../shared/capture/events';
import { harToEvents } from '../../../shared/capture/har';
import { isEmptyContent } from '../../../shared/capture/capture-line-rules';
import { CaptureFile } from './capture-file';
import { decodeCaptureBytes } from './event-bytes';
import { FileChunkFeed } from './file-chunks';
import { decompress, GunzipReader, innerName, notGzip, sniffCompression } from './compressed';
import type { Compression } from './compressed';
import type { EventSource } from './event-source';
import { spoolHar, spoolPcap } from './import-spool';
import { MemorySource } from './memory-source';
import { readAt } from './read-fully';
import { privateSpoolPath } from './spool-dir';
import { decodePcap } from '../pcap/pcap-import';
import { sniffContainer } from '../pcap/pcap-file';

/**
 * Opens any file the tool reads as an EventSource, by content first and extension second: capture files stream
 * from disk (any size); pcap/pcapng and HAR files are read chunk by chunk (a HAR one entry, that is one WebSocket
 * connection, at a time) and their decoded events spooled to a private capture file read the same way (see
 * import-spool.ts). A gzip-compressed file is read the same way, inflated as it is read (see openCompressed).
 * openSourceData decodes content already in memory, into memory.
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
  const compression = sniffCompression(head);
  if (compression) return openCompressed(path, name, compression, options);
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
  if (format === 'unknown') throw unknownFormat(name);
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

/**
 * A compressed file opened as its content, inflated as it is read (one level only: content that is compressed
 * again is refused): a pcap/pcapng or HAR goes straight into its streaming import, as chunks of the same size a
 * plain file gives; other content (a capture) is inflated to a private copy, opened as the plain file would be and
 * removed when the source closes. Memory holds a few chunks whatever the size. Damage (a cut or corrupt file) keeps
 * what came before it, with a capture-read-failed finding; damage before any content is an unreadable error.
 */
async function openCompressed(
  path: string,
  name: string,
  kind: Compression,
  options: OpenOptions,
): Promise<EventSource> {
  if (kind !== 'gzip') throw new OpenError('unknown-format', notGzip(name, kind));
  let reader: GunzipReader;
  try {
    reader = await GunzipReader.open(path);
  } catch (e) {
    throw new OpenError('unreadable', `${path}: ${(e as Error).message}`);
  }
  const feed = FileChunkFeed.of(reader);
  const inner = innerName(name);
  try {
    const first = (await feed.peek())?.subarray(0, 4096);
    if (!first) {
      if (reader.damage) throw new OpenError('unreadable', reader.damage);
      throw emptyFile(inner);
    }
    // One level only: a file compressed again (or one that decompresses to itself) would never end.
    if (sniffCompression(first.subarray(0, 8)))
      throw new OpenError('unknown-format', `${name} holds another compressed file; decompress it first.`);
    const format = detectFormat(first, inner);
    // Content that begins with blank space is told apart as a plain file is, from its copy (see openSourceFile).
    if (!isEmptyContent(first)) {
      if (format === 'pcap') return await spoolPcap(inner, feed, options);
      if (format === 'har') return await spoolHar(inner, feed, options);
      if (format === 'unknown') throw unknownFormat(inner);
    }
    // A capture is read through an index of where its lines are: from a file, here a private copy.
    const { dir, path: copy } = await privateSpoolPath(inner, options.tempRoot);
    try {
      await pipeline(Readable.from(feed.chunks()), createWriteStream(copy, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    return await openOwnedFile(dir, copy, options, feed.problem());
  } finally {
    await feed.close();
  }
}

/**
 * Opens a file in a private directory the source then owns: the directory goes when the source closes, or at once
 * when the file does not open (nothing half-opened is left on disk). `problem`: how the copy came to end early
 * (a damaged compressed file), listed first among the source's findings.
 */
export async function openOwnedFile(
  dir: string,
  path: string,
  options: OpenOptions,
  problem?: Finding,
): Promise<EventSource> {
  try {
    const source = await openSourceFile(path, options);
    const close = source.close.bind(source);
    source.close = async () => {
      try {
        await close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    if (problem) {
      const info = source.info.bind(source);
      source.info = () => {
        const own = info();
        return { ...own, findings: [problem, ...own.findings] };
      };
    }
    return source;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function unknownFormat(name: string): OpenError {
  return new OpenError(
    'unknown-format',
    `${name}: unknown file type (expected a capture, .har, .pcap or .pcapng).`,
  );
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
  throw unknownFormat(name);
}
