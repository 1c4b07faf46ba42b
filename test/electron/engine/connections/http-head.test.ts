import { describe, expect, it } from 'vitest';
import { pairRawHeaders, socketAddress } from '../../../../electron/engine/connections/http-head';

describe('http head helpers (Node side)', () => {
  it('pairs Node rawHeaders back into [name, value] in order, duplicates kept', () => {
    expect(pairRawHeaders(['A', '1', 'a', '2'])).toEqual([
      ['A', '1'],
      ['a', '2'],
    ]);
  });

  it('shows IPv4-mapped IPv6 peers as the IPv4 address', () => {
    expect(socketAddress('::ffff:127.0.0.1', 5)).toEqual({ address: '127.0.0.1', port: 5, family: 'IPv4' });
    expect(socketAddress('::1', 6)).toEqual({ address: '::1', port: 6, family: 'IPv6' });
  });
});
