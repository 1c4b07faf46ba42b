import { constants, createDeflateRaw } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';

/**
 * Test helper: messages as a permessage-deflate sender with context takeover compresses them (one stream, a sync
 * flush each), the 00 00 ff ff tail dropped as on the wire unless `keepTail`.
 */
export async function deflateMessages(
  messages: readonly (string | Uint8Array)[],
  opts: ZlibOptions = {},
  keepTail = false,
): Promise<Uint8Array[]> {
  const z = createDeflateRaw(opts);
  const out: Uint8Array[] = [];
  for (const m of messages) {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer): number => chunks.push(c);
    z.on('data', onData);
    z.write(m);
    await new Promise<void>((r) => z.flush(constants.Z_SYNC_FLUSH, () => r()));
    z.off('data', onData);
    const all = Buffer.concat(chunks);
    out.push(keepTail ? all : all.subarray(0, all.length - 4));
  }
  z.close();
  return out;
}
