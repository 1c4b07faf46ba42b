import { describe, expect, it } from 'vitest';
import {
  configText,
  parseConfigLines,
  parseConfigPair,
  parseSerials,
  serialProblem,
} from '../../shared/simulator-config';

describe('simulator configuration as written', () => {
  it('reads KEY=VALUE lines (values may be empty or hold =), passes over blanks and # comments, tells the bad line', () => {
    expect(parseConfigPair('A.B[c]=x=y')).toEqual({ key: 'A.B[c]', value: 'x=y' });
    expect(parseConfigPair('Key=')).toEqual({ key: 'Key', value: '' });
    expect(parseConfigPair('=v')).toBeUndefined();
    expect(parseConfigPair(' =5')).toBeUndefined();
    expect(parseConfigPair('  \t=5')).toBeUndefined();
    expect(parseConfigLines('# comment\n\nHeartbeatInterval=30\r\nA.B=1')).toEqual({
      config: { HeartbeatInterval: '30', 'A.B': '1' },
    });
    expect(parseConfigLines('A=1\nNoValue')).toEqual({ error: 'Line 2 needs KEY=VALUE, got "NoValue".' });
    expect(configText({ A: '1', 'B.C': '' })).toBe('A=1\nB.C=');
    expect(parseConfigLines(configText({ A: '1', 'B.C': '' }))).toEqual({ config: { A: '1', 'B.C': '' } });
  });

  it('reads hex serials separated by commas, spaces or lines, and names the first that is not one', () => {
    expect(parseSerials('1A:2B, ff\n0042')).toEqual({ serials: ['1A:2B', 'ff', '0042'] });
    expect(parseSerials('')).toEqual({ serials: [] });
    expect(parseSerials('ff zz')).toEqual({
      error: 'A revoked certificate needs a hex serial number, got "zz".',
    });
    expect(serialProblem('0A')).toBeUndefined();
  });
});
