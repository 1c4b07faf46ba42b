import { describe, expect, it } from 'vitest';
import { randomUuid } from '../../../shared/ocpp/random-uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  it('makes version 4 UUIDs as crypto.randomUUID does, each distinct, across refills of its pool', () => {
    // 2,000 ids: the pool (256 ids a fill) is refilled several times on the way.
    const ids = Array.from({ length: 2000 }, () => randomUuid());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(crypto.randomUUID()).toMatch(V4);
  });

  it('puts random digits everywhere but the version and the variant: each free position takes every hex digit', () => {
    const ids = Array.from({ length: 2000 }, () => randomUuid());
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (const id of ids) for (let i = 0; i < 36; i++) seen[i]!.add(id[i]!);
    for (let i = 0; i < 36; i++) {
      if ([8, 13, 18, 23].includes(i)) expect([...seen[i]!]).toEqual(['-']);
      else if (i === 14) expect([...seen[i]!]).toEqual(['4']);
      else if (i === 19) expect([...seen[i]!].sort()).toEqual(['8', '9', 'a', 'b']);
      // With 2,000 ids a digit is missing from a position with a chance of about 16 * (15/16)^2000.
      else expect(seen[i]!.size).toBe(16);
    }
  });

  it('gives an id a JSON frame carries unchanged, 36 characters long', () => {
    const id = randomUuid();
    expect(JSON.parse(JSON.stringify([2, id, 'Heartbeat', {}]))[1]).toBe(id);
    expect(id).toHaveLength(36);
  });
});
