import { gunzipSync } from 'node:zlib';

/**
 * Compressed files as people keep captures (tcpdump rotations, Wireshark's .pcapng.gz, a zipped capture sent by a
 * colleague): gzip is opened as its content, within a bound on the decompressed size (a small file can inflate to
 * gigabytes on purpose); other compressions get a sentence saying which one, and how to open it.
 */

export type Compression = 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'zip' | '7z';

const MAGIC: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
];

export function sniffCompression(head: Uint8Array): Compression | undefined {
  return MAGIC.find(([, m]) => head.length >= m.length && m.every((b, i) => head[i] === b))?.[0];
}

const TOOL: Record<Exclude<Compression, 'gzip'>, string> = {
  zstd: 'zstd -d',
  xz: 'xz -d',
  bzip2: 'bunzip2',
  zip: 'unzip',
  '7z': '7z x',
};

export type Decompressed =
  | { ok: true; name: string; data: Uint8Array }
  | { ok: false; code: 'too-large' | 'unreadable' | 'unknown-format'; message: string };

/** The content of a compressed file, named without its compression suffix; or why it cannot be opened. */
export function decompress(
  name: string,
  data: Uint8Array,
  kind: Compression,
  maxBytes: number,
): Decompressed {
  if (kind !== 'gzip')
    return {
      ok: false,
      code: 'unknown-format',
      message: `${name} is ${kind}-compressed; decompress it first (${TOOL[kind]} ${name}) and open what it holds.`,
    };
  try {
    const inner = gunzipSync(data, { maxOutputLength: maxBytes });
    return { ok: true, name: name.replace(/\.(gz|gzip|tgz)$/i, '') || name, data: inner };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      return {
        ok: false,
        code: 'too-large',
        message: `${name} decompresses to more than ${Math.round(maxBytes / 2 ** 20)} MB; decompress it first (gunzip ${name}).`,
      };
    return {
      ok: false,
      code: 'unreadable',
      message: `${name}: the gzip data is damaged (${(e as Error).message}).`,
    };
  }
}
