import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FrameAnnotator } from '../../../shared/capture/annotate';
import type { AnnotateOptions } from '../../../shared/capture/annotate';
import type { ConnectionInfo, Finding, ScopeEvent } from '../../../shared/capture/events';
import { harEventReader } from '../../../shared/capture/har';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { decodePcapGivingTurns } from '../pcap/pcap-import';
import { nextTurn, runGivingTurns } from '../pcap/run-giving-turns';
import { CaptureFile } from './capture-file';
import { CaptureWriter } from './capture-writer';
import { DecodedSpool } from './decoded-spool';
import type { FileChunkFeed } from './file-chunks';
import type { EventSource } from './event-source';
import { HarEntryParser } from './har-file-entries';
import type { HarEntryRead } from './har-file-entries';
import { ImportedSource } from './imported-source';
import { privateSpoolPath } from './spool-dir';

/**
 * Imports of any size in bounded memory: a pcap's or HAR's events go, as they are decoded, through the same
 * analysis as in memory (FrameAnnotator, what annotateFrames runs) into a private capture file, which then opens
 * through its index (about 30 bytes an event) like any recording. Events, order, findings and connections are those
 * of the in-memory import (decodePcap, harEntriesToEvents). The private directory goes when the source closes, or
 * at once when the import fails.
 */

export interface ImportOptions {
  id: string;
  onProgress?: (source: EventSource) => void;
  /** Options of the analysis pipeline imported frames go through (behaviour rules). */
  annotate?: AnnotateOptions;
  /** Where the private directory is made (default: the system's temporary directory). */
  tempRoot?: string;
}

/** The header lists the connections known when the first event is written (as a memory source lists them first). */
const MAX_HEADER_CONNECTIONS = 10_000;

/** Decoded events in their final order, analysed as annotateFrames would and written to a capture file. */
class ImportWriter {
  private writer: CaptureWriter | undefined;
  private readonly annotator: FrameAnnotator;
  /** A write that failed at the end of a turn (disk full): the import fails with it. */
  private failed: { error: unknown } | undefined;

  constructor(
    private readonly dir: string,
    private readonly known: () => ConnectionInfo[],
    versionOf: (conn: string) => OcppVersion | undefined,
    annotate: AnnotateOptions,
  ) {
    this.annotator = new FrameAnnotator(versionOf, annotate, (e) => this.open().write(e));
  }

  private open(): CaptureWriter {
    this.writer ??= new CaptureWriter({
      folder: this.dir,
      name: 'import',
      tool: 'ocpp-scope import',
      maxBytes: Number.POSITIVE_INFINITY,
      // A private file, gone when the import closes: nothing to keep safe across a power loss.
      durable: false,
      onError: (error) => (this.failed = { error }),
      connections: () => {
        const known = this.known();
        return known.length <= MAX_HEADER_CONNECTIONS ? [...known] : [];
      },
    });
    return this.writer;
  }

  readonly push = (e: ScopeEvent): void => {
    if (this.failed) throw this.failed.error;
    this.annotator.push(e);
  };

  /** The import failed: the file is closed (its folder is removed next), so no handle or flush outlives it. */
  abort(): void {
    try {
      this.writer?.close();
    } catch {
      // Closing a file whose writes failed may fail too: the import's own error is what is told.
    }
  }

  /** Ends the analysis and the file; its path. */
  finish(): string {
    this.annotator.end();
    const w = this.open();
    w.close();
    if (this.failed) throw this.failed.error;
    return w.file;
  }
}

interface Imported {
  file: string;
  findings: Finding[];
  connections: ConnectionInfo[];
}

/** Runs `write` in a fresh private directory and opens the capture it wrote as the imported file `name`. */
async function spoolImport(
  name: string,
  options: ImportOptions,
  write: (dir: string) => Promise<Imported>,
): Promise<EventSource> {
  const { dir } = await privateSpoolPath(name, options.tempRoot);
  try {
    const done = await write(dir);
    const holder: { source?: ImportedSource } = {};
    const file = await CaptureFile.open(done.file, {
      id: options.id,
      ...(options.onProgress
        ? { onProgress: () => holder.source && options.onProgress!(holder.source) }
        : {}),
    });
    const source = new ImportedSource(file, name, done.findings, done.connections, async () => {
      await rm(dir, { recursive: true, force: true });
    });
    holder.source = source;
    return source;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs an import's writing; if it fails, the half-written file is closed before its folder is removed. */
async function writing(out: ImportWriter, run: () => Promise<Imported>): Promise<Imported> {
  try {
    return await run();
  } catch (error) {
    out.abort();
    throw error;
  }
}

/** An import's findings, after how its input ended early (a damaged compressed file: see FileChunkFeed.problem). */
function withCut(input: Uint8Array | FileChunkFeed, findings: Finding[]): Finding[] {
  const cut = input instanceof Uint8Array ? undefined : input.problem();
  return cut ? [cut, ...findings] : findings;
}

/** Events analysed and written between two turns of the event loop (the engine serves chargers meanwhile). */
const EVENTS_PER_TURN = 2000;

/**
 * A pcap/pcapng (its bytes whole, or a file read as it is decoded: FileChunkFeed, a compressed file's content too)
 * imported in bounded memory. The decode, and the analysis and writing that follow, give the event loop turns (the
 * engine serves chargers meanwhile).
 */
export function spoolPcap(
  name: string,
  input: Uint8Array | FileChunkFeed,
  options: ImportOptions,
): Promise<EventSource> {
  return spoolImport(name, options, async (dir) => {
    // Decoded events wait on disk for the time order (see decodePcapFrames), then go through the analysis.
    const decoded = await DecodedSpool.create(join(dir, 'decoded.jsonl'));
    try {
      const d = await decodePcapGivingTurns(input, (e) => decoded.push(e));
      const out = new ImportWriter(dir, () => d.connections, d.versionOf, options.annotate ?? {});
      return await writing(out, async () => {
        let n = 0;
        for await (const batch of decoded.ordered()) {
          for (const e of batch) {
            out.push(e);
            if (++n % EVENTS_PER_TURN === 0) await nextTurn();
          }
        }
        return { file: out.finish(), findings: withCut(input, d.findings), connections: d.connections };
      });
    } finally {
      await decoded.dispose();
    }
  });
}

/**
 * A HAR (a file read as it is parsed: FileChunkFeed, a compressed file's content too) imported in bounded memory:
 * one entry parsed at a time, its events analysed and written as they are read, with a turn of the event loop after
 * each entry, each chunk and every 2,000 messages of an entry; the check that a big entry's messages are JSON gives
 * turns too (runGivingTurns).
 */
export function spoolHar(name: string, input: FileChunkFeed, options: ImportOptions): Promise<EventSource> {
  return spoolImport(name, options, async (dir) => {
    const parser = new HarEntryParser();
    const connections: ConnectionInfo[] = [];
    const versions = new Map<string, OcppVersion | undefined>();
    const out = new ImportWriter(
      dir,
      () => connections,
      (c) => versions.get(c),
      options.annotate ?? {},
    );
    const reader = harEventReader((e) => {
      if (e.kind === 'opened') {
        connections.push(e.connection);
        versions.set(e.conn, e.connection.version);
      }
      out.push(e);
    });
    const take = async (entries: Generator<void, HarEntryRead[], void>): Promise<void> => {
      for (const r of await runGivingTurns(entries)) {
        const steps = reader.takeInSteps(r.entry, r.messages);
        while (!steps.next().done) await nextTurn();
        await nextTurn();
      }
    };
    return writing(out, async () => {
      for await (const chunk of input.chunks()) {
        await take(parser.pushSteps(chunk));
        await nextTurn();
      }
      await take(parser.endSteps());
      const h = reader.end(() => parser.problem());
      return { file: out.finish(), findings: withCut(input, h.findings), connections: h.connections };
    });
  });
}
