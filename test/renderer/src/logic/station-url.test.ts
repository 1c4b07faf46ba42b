import { describe, expect, it } from 'vitest';
import { checkStationUrl } from '../../../../renderer/src/logic/station-url';

describe('checkStationUrl: why Connect is disabled, or what will likely go wrong', () => {
  it('http(s):// is refused with the ws(s):// URL to use instead', () => {
    expect(checkStationUrl('http://csms:9000/ocpp/CP1', ['1.6']).problem).toContain(
      'ws://csms:9000/ocpp/CP1',
    );
    expect(checkStationUrl('https://csms/ocpp/CP1', ['1.6']).problem).toContain('wss://csms/ocpp/CP1');
  });
  it('a malformed URL, another scheme, no host or no version are refused with a reason', () => {
    expect(checkStationUrl('ws://exa mple/CP1', ['1.6']).problem).toMatch(/not a valid URL/);
    expect(checkStationUrl('ftp://x/CP1', ['1.6']).problem).toMatch(/ws:\/\/ or wss:\/\//);
    expect(checkStationUrl('', ['1.6']).problem).toMatch(/Enter the CSMS URL/);
    expect(checkStationUrl('ws://x/CP1', []).problem).toMatch(/at least one OCPP version/);
  });
  it('a URL without an identity may be tried, with a warning; a good one names its identity', () => {
    const noId = checkStationUrl('wss://csms.example.com/ocpp/', ['2.0.1']);
    expect(noId.problem).toBeUndefined();
    expect(noId.warning).toMatch(/without a charge point identity/);
    expect(checkStationUrl('ws://127.0.0.1:9000/ocpp/CP%20001', ['1.6'])).toEqual({ identity: 'CP 001' });
  });
});
