import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CrlFiles } from '../../../../electron/engine/simulation/crl-file';
import { MAX_CRL_BYTES } from '../../../../electron/engine/simulation/crl';
import type { ParsedCrl } from '../../../../electron/engine/simulation/crl';
import { opensslCrl } from '../../../support/openssl-crl';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

/** A CrlFiles whose reads of the disk are counted. */
function counted(maxFiles?: number): { files: CrlFiles; reads: string[] } {
  const reads: string[] = [];
  const files = new CrlFiles(async (path) => {
    reads.push(path);
    return readFile(path);
  }, maxFiles);
  return { files, reads };
}

const serials = (p: ParsedCrl): string[] | string =>
  p.result.ok ? [...p.result.serials].sort() : p.result.reason;

describe('CrlFiles (a CRL file kept parsed while unchanged)', () => {
  it('reads an unchanged file once; a changed, replaced, gone or non-CRL file is read again or told at once', async () => {
    const a = await opensslCrl(['0A1B']);
    const b = await opensslCrl(['77', '78', '79']);
    cleanups.push(a.cleanup, b.cleanup);
    const { files, reads } = counted();
    const path = `${a.dir}/list.crl`;
    await writeFile(path, a.der);
    expect(serials(await files.load(path))).toEqual(['a1b']);
    // The dialog checking again as the user types: the same lists, not read again.
    const again = await files.load(path);
    expect(serials(again)).toEqual(['a1b']);
    expect(again.crls).toHaveLength(1);
    expect(reads).toEqual([path]);
    // Rewritten in place (another size and mtime): read again, its new contents used.
    await writeFile(path, b.der);
    expect(serials(await files.load(path))).toEqual(['77', '78', '79']);
    expect(serials(await files.load(path))).toEqual(['77', '78', '79']);
    expect(reads).toHaveLength(2);
    // Now no CRL: told, from what it holds now.
    await writeFile(path, b.caPem);
    expect(serials(await files.load(path))).toBe(
      `${path} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    );
    expect(reads).toHaveLength(3);
    // Gone: told at once, never answered from what was kept.
    await rm(path);
    expect(serials(await files.load(path))).toBe(`cannot read ${path} (ENOENT)`);
    expect(reads).toHaveLength(3);
    await writeFile(path, a.pem);
    expect(serials(await files.load(path))).toEqual(['a1b']);
    expect(reads).toHaveLength(4);
  });

  it('reads a file once for checks made at the same time, and again after one it could not read', async () => {
    const a = await opensslCrl(['0A']);
    cleanups.push(a.cleanup);
    const { files, reads } = counted();
    const both = await Promise.all([files.load(a.derPath), files.load(a.derPath)]);
    expect(both.map(serials)).toEqual([['a'], ['a']]);
    expect(reads).toHaveLength(1);

    let fail = true;
    const flaky = new CrlFiles(async (path) => {
      reads.push(path);
      if (fail) throw Object.assign(new Error('denied'), { code: 'EACCES' });
      return readFile(path);
    });
    expect(serials(await flaky.load(a.pemPath))).toBe(`cannot read ${a.pemPath} (EACCES)`);
    fail = false;
    expect(serials(await flaky.load(a.pemPath))).toEqual(['a']);
    expect(reads).toHaveLength(3);
  });

  it('keeps the last few files read, the oldest let go first', async () => {
    const a = await opensslCrl(['01']);
    cleanups.push(a.cleanup);
    const { files, reads } = counted(2);
    const paths = ['x.crl', 'y.crl', 'z.crl'].map((f) => `${a.dir}/${f}`);
    for (const p of paths) await writeFile(p, a.der);
    await files.load(paths[0]!);
    await files.load(paths[1]!);
    await files.load(paths[0]!);
    await files.load(paths[2]!);
    expect(reads).toEqual([paths[0], paths[1], paths[2]]);
    // y was the least recently used of three: let go; x and z kept.
    await files.load(paths[0]!);
    await files.load(paths[2]!);
    await files.load(paths[1]!);
    expect(reads).toEqual([paths[0], paths[1], paths[2], paths[1]]);
  });

  /**
   * Files of the sizes given (sparse: nothing written), read as the CRL `der` by a CrlFiles whose reads are counted:
   * what is kept is judged by the size on disk, as a real list of that size would be.
   */
  async function sized(
    sizes: Record<string, number>,
  ): Promise<{ files: CrlFiles; reads: string[]; at: (name: string) => string }> {
    const a = await opensslCrl(['01']);
    cleanups.push(a.cleanup);
    const at = (name: string): string => `${a.dir}/${name}.crl`;
    for (const [name, size] of Object.entries(sizes)) {
      await writeFile(at(name), '');
      await truncate(at(name), size);
    }
    const reads: string[] = [];
    const files = new CrlFiles(async (path) => {
      reads.push(path);
      return a.der;
    });
    return { files, reads, at };
  }

  it('refuses a file over MAX_CRL_BYTES without reading it; one of exactly that size is read', async () => {
    const { files, reads, at } = await sized({ over: MAX_CRL_BYTES + 1, max: MAX_CRL_BYTES });
    expect(serials(await files.load(at('over')))).toBe(
      `${at('over')} is ${MAX_CRL_BYTES + 1} bytes, more than the ${MAX_CRL_BYTES} read`,
    );
    expect(reads).toEqual([]);
    expect(serials(await files.load(at('max')))).toEqual(['1']);
    expect(reads).toEqual([at('max')]);
  });

  it('lets go of the oldest files once those kept pass MAX_CRL_BYTES together; the newest always stays', async () => {
    const mb = 1024 * 1024;
    const { files, reads, at } = await sized({ x: 40 * mb, y: 30 * mb, z: 10 * mb, w: MAX_CRL_BYTES });
    // Never more than maxFiles (4) kept here: only their bytes let them go.
    // 40 + 30 MB pass the 64 MB: x (the oldest) is let go, y kept; then z (10 MB) joins y.
    for (const name of ['x', 'y', 'z', 'y', 'z']) await files.load(at(name));
    expect(reads).toEqual([at('x'), at('y'), at('z')]);
    // x again: 30 + 10 + 40 MB, y (now the oldest) let go; z and x kept.
    for (const name of ['x', 'z', 'x', 'y']) await files.load(at(name));
    expect(reads).toEqual([at('x'), at('y'), at('z'), at('x'), at('y')]);
    // A file of the whole budget alone: every other is let go, it stays (kept, not read again).
    await files.load(at('w'));
    await files.load(at('w'));
    expect(reads.slice(5)).toEqual([at('w')]);
    for (const name of ['x', 'y', 'z']) await files.load(at(name));
    expect(reads.slice(6)).toEqual([at('x'), at('y'), at('z')]);
  });
});
