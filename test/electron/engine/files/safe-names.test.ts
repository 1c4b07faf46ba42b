import fc from 'fast-check';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityFolder, inside, safeFileName } from '../../../../electron/engine/files/safe-names';

describe('safe names', () => {
  it.each([
    ['diag.zip', 'diag.zip'],
    ['../../etc/passwd', 'passwd'],
    ['..%2F..%2Fetc%2Fpasswd', 'passwd'],
    ['C:\\Windows\\system.ini', 'system.ini'],
    ['/abs/path/log 1.tgz', 'log 1.tgz'],
    ['..', undefined],
    ['.', undefined],
    ['', undefined],
    ['.hidden', 'hidden'],
    ['a:b*c?.txt', 'a_b_c_.txt'],
    ['name. ', 'name'],
    ['%E2%82%AC.bin', '_.bin'],
  ])('%j becomes %j', (raw, expected) => {
    expect(safeFileName(raw)).toBe(expected);
  });

  it('any name stays one component inside the folder', () => {
    const root = resolve('/srv/transfers');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        const name = safeFileName(raw);
        if (name === undefined) return;
        expect(name).not.toMatch(/[/\\]/);
        expect(name.length).toBeLessThanOrEqual(180);
        expect(inside(root, join(root, identityFolder(raw), name))?.startsWith(root + sep)).toBe(true);
      }),
    );
  });

  it('inside() refuses the folder itself and anything beside or above it', () => {
    expect(inside('/a/b', '/a/b')).toBeUndefined();
    expect(inside('/a/b', '/a/bc/x')).toBeUndefined();
    expect(inside('/a/b', '/a/b/../c')).toBeUndefined();
    expect(inside('/a/b', '/a/b/c')).toBe(resolve('/a/b/c'));
  });
});
