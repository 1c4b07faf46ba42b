import { readFile, rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CrlFiles } from '../../../../electron/engine/simulation/crl-file';
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
});
