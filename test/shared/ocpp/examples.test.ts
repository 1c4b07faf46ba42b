import { describe, expect, it } from 'vitest';
import { actionsOf } from '../../../shared/ocpp/actions';
import { exampleRequest, exampleResponse, hasExample } from '../../../shared/ocpp/examples';
import { validatePayload } from '../../../shared/ocpp/schema-registry';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';

describe('example payloads', () => {
  for (const version of OCPP_VERSIONS) {
    it(`every ${version} request and response validates against its official schema`, () => {
      const invalid: string[] = [];
      let checked = 0;
      for (const a of actionsOf(version)) {
        const req = validatePayload(version, a.name, 'request', exampleRequest(version, a.name));
        checked++;
        if (req.length) invalid.push(`${a.name} request: ${req.map((f) => f.message).join('; ')}`);
        if (a.sendOnly) {
          expect(hasExample(version, a.name, 'response')).toBe(false);
          continue;
        }
        const res = validatePayload(version, a.name, 'response', exampleResponse(version, a.name));
        checked++;
        if (res.length) invalid.push(`${a.name} response: ${res.map((f) => f.message).join('; ')}`);
      }
      expect(invalid).toEqual([]);
      const expected = { '1.6': 39 * 2, '2.0.1': 64 * 2, '2.1': 90 * 2 + 1 }[version];
      expect(checked).toBe(expected);
    });
  }

  it('answers the usual happy path with realistic values', () => {
    const boot16 = exampleResponse('1.6', 'BootNotification');
    expect(boot16).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(Date.parse(String(boot16.currentTime))).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    expect(exampleResponse('2.0.1', 'BootNotification')).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(exampleResponse('1.6', 'Authorize')).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(exampleResponse('2.1', 'Authorize')).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(exampleResponse('1.6', 'StartTransaction')).toEqual({
      idTagInfo: { status: 'Accepted' },
      transactionId: 1,
    });
    expect(exampleRequest('1.6', 'BootNotification')).toEqual({
      chargePointVendor: 'ExampleVendor',
      chargePointModel: 'ExampleModel',
    });
    expect(exampleRequest('2.0.1', 'MeterValues')).toMatchObject({ evseId: 1 });
    expect(exampleResponse('1.6', 'GetConfiguration')).toMatchObject({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'MeterValueSampleInterval' },
      ],
    });
  });

  it('returns fresh objects, so a caller editing a template cannot corrupt the next one', () => {
    const a = exampleRequest('2.0.1', 'BootNotification');
    (a.chargingStation as Record<string, unknown>).model = 'changed';
    expect(exampleRequest('2.0.1', 'BootNotification')).toMatchObject({
      chargingStation: { model: 'ExampleModel' },
    });
  });

  it('gives an empty payload for an action the version does not have', () => {
    expect(hasExample('1.6', 'TransactionEvent', 'request')).toBe(false);
    expect(exampleRequest('1.6', 'TransactionEvent')).toEqual({});
    expect(exampleResponse('2.1', 'NotifyPeriodicEventStream')).toEqual({});
  });
});
