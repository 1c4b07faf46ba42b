import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenError } from '../../electron/engine/capture/open-source';
import { openSourceData, openSourceFile } from '../../electron/engine/capture/open-source';
import type { EventSource } from '../../electron/engine/capture/event-source';
import { exportToString } from '../../electron/engine/capture/export-source';
import { runConvert } from '../../electron/host/commands/convert';
import { runInspect } from '../../electron/host/commands/inspect';
import { testIo } from '../electron/host/commands/cli-test-io';
import { UploadSpool } from '../../electron/engine/capture/upload-spool';
import { base64 } from '../../renderer/src/components/upload-file';

/**
 * What a user does with a file, as a fuzz target: open it the way the desktop, serve mode and the CLI do, page through it, search
 * it, export it redacted both ways, inspect and convert it. Refusing a file (OpenError, an exit code with a sentence)
 * is fine; any exception, a JavaScript error message shown to the user, or a rule-failed finding is a crash.
 */

const JS_ERROR =
  /TypeError|RangeError|ReferenceError|SyntaxError: Unexpected|Cannot read prop|is not a function|undefined/;

async function exercise(source: EventSource): Promise<void> {
  await source.whenIndexed();
  source.info();
  source.stats();
  source.connections();
  await source.query({}, 0, 50);
  await source.query({ withFindings: true }, 0, 50);
  await source.query({ text: 'Heartbeat' }, 0, 20);
  await source.query({ action: 'BootNotification', sender: 'station' }, 0, 20);
  let n = 0;
  for await (const e of source.events()) {
    if (e.kind === 'frame') n++;
    // A rule's exception is recorded as a finding (guarded-observer.ts), not thrown: for the fuzzer it is a crash.
    const failed = (e.kind === 'frame' || e.kind === 'note' ? e.findings : undefined)?.find(
      (f) => f.code === 'rule-failed',
    );
    if (failed) throw new Error(failed.message);
  }
  await exportToString(source, { format: 'capture', redact: true, tool: 'fuzz' });
  await exportToString(source, { format: 'har', redact: true, tool: 'fuzz' });
  void n;
}

async function openQuietly(open: () => Promise<EventSource> | EventSource): Promise<EventSource | undefined> {
  try {
    return await open();
  } catch (e) {
    if (e instanceof OpenError) return undefined;
    throw e;
  }
}

async function cli(args: string[]): Promise<void> {
  const t = testIo();
  const code = await (args[0] === 'convert'
    ? runConvert(args.slice(1), t.io)
    : runInspect(args.slice(1), t.io));
  if (code === 70 || JS_ERROR.test(t.err()))
    throw new Error(`${args[0]} exit ${code}: ${t.err().slice(0, 300)}`);
}

/** The serve-mode open: the file sent in chunks, written to a private copy, opened from it. */
async function serveUpload(name: string, data: Uint8Array, dir: string, i: number): Promise<void> {
  if (data.length === 0) return;
  const spool = new UploadSpool({ chunkBytes: 4096, tempRoot: dir });
  const { uploadId } = await spool.begin(name, data.length);
  for (let off = 0; off < data.length; off += 4096)
    await spool.chunk(uploadId, off, base64(data.subarray(off, off + 4096)));
  const source = await openQuietly(() => spool.finish(uploadId, { id: `u${i}` }));
  if (!source) return;
  try {
    await exercise(source);
  } finally {
    await source.close();
  }
}

export type Kind = 'capture' | 'har' | 'pcap';

const EXT: Record<Kind, string> = { capture: '.ocppcap.jsonl', har: '.har', pcap: '.pcap' };

/** One input through every path; `withCli` adds inspect and convert (slower: used on a share of the inputs). */
export async function runInput(
  kind: Kind,
  data: Uint8Array,
  dir: string,
  i: number,
  withCli: boolean,
): Promise<void> {
  const name = `in-${i}${EXT[kind]}`;
  const memory = await openQuietly(() => openSourceData(name, data, `m${i}`));
  if (memory) await exercise(memory);
  if (kind !== 'capture' && !withCli) return;
  const path = join(dir, name);
  writeFileSync(path, data);
  try {
    const file = await openQuietly(() => openSourceFile(path, { id: `f${i}` }));
    if (file) {
      try {
        await exercise(file);
      } finally {
        await file.close();
      }
    }
    if (withCli) {
      await serveUpload(name, data, dir, i);
      await cli(['inspect', path, '--text']);
      await cli(['inspect', path]);
      await cli(['convert', path, join(dir, `out-${i}.har`)]);
    }
  } finally {
    rmSync(path, { force: true });
    rmSync(join(dir, `out-${i}.har`), { force: true });
  }
}
