import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionsOf } from '../../../shared/ocpp/actions';
import type { JsonObject } from '../../../shared/ocpp/json';
import {
  compileSchema,
  payloadSchema,
  rawPayloadSchema,
  validatePayload,
} from '../../../shared/ocpp/schema-registry';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';

describe('schema registry', () => {
  it('compiles every official schema of every version (387 files)', () => {
    const failures: string[] = [];
    let n = 0;
    for (const v of OCPP_VERSIONS) {
      for (const a of actionsOf(v)) {
        for (const kind of a.sendOnly ? (['request'] as const) : (['request', 'response'] as const)) {
          n++;
          const err = compileSchema(v, a.name, kind);
          if (err) failures.push(`${v} ${a.name} ${kind}: ${err}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(n).toBe(78 + 128 + 181);
  });

  const boot16 = { chargePointVendor: 'V', chargePointModel: 'M' };
  const boot2 = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };

  it('accepts valid payloads', () => {
    expect(validatePayload('1.6', 'BootNotification', 'request', boot16)).toEqual([]);
    expect(validatePayload('2.0.1', 'BootNotification', 'request', boot2)).toEqual([]);
    expect(validatePayload('2.1', 'BootNotification', 'request', boot2)).toEqual([]);
  });

  // Each violation: finding code, JSON pointer, message, and the error code per version.
  it('missing property: OccurenceConstraintViolation in 1.6 (sic), OccurrenceConstraintViolation in 2.x', () => {
    expect(validatePayload('1.6', 'BootNotification', 'request', { chargePointModel: 'M' })).toEqual([
      {
        code: 'schema-required',
        severity: 'error',
        message: "required property 'chargePointVendor' is missing",
        path: '/chargePointVendor',
        errorCode: 'OccurenceConstraintViolation',
      },
    ]);
    const nested = validatePayload('2.0.1', 'BootNotification', 'request', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V' },
    });
    expect(nested).toEqual([
      {
        code: 'schema-required',
        severity: 'error',
        message: "required property 'model' is missing in /chargingStation",
        path: '/chargingStation/model',
        errorCode: 'OccurrenceConstraintViolation',
      },
    ]);
  });

  it('wrong type: TypeConstraintViolation, naming the value found', () => {
    for (const v of OCPP_VERSIONS) {
      const f = validatePayload(v, 'BootNotification', 'response', {
        status: 'Accepted',
        currentTime: '2025-01-01T00:00:00Z',
        interval: '300',
      });
      expect(f).toEqual([
        {
          code: 'schema-type',
          severity: 'error',
          message: '/interval must be an integer, but is the string "300"',
          path: '/interval',
          errorCode: 'TypeConstraintViolation',
        },
      ]);
    }
  });

  it('unknown property: FormationViolation in 1.6, FormatViolation in 2.x', () => {
    expect(validatePayload('1.6', 'BootNotification', 'request', { ...boot16, colour: 'red' })).toEqual([
      {
        code: 'schema-additional-property',
        severity: 'error',
        message: "unknown property 'colour': the schema does not allow it",
        path: '/colour',
        errorCode: 'FormationViolation',
      },
    ]);
    expect(
      validatePayload('2.1', 'BootNotification', 'request', { ...boot2, colour: 'red' })[0],
    ).toMatchObject({
      code: 'schema-additional-property',
      errorCode: 'FormatViolation',
    });
  });

  it('enum, length and format: PropertyConstraintViolation', () => {
    const e = validatePayload('2.0.1', 'BootNotification', 'request', { ...boot2, reason: 'Boot' });
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      code: 'schema-enum',
      path: '/reason',
      errorCode: 'PropertyConstraintViolation',
    });
    expect(e[0]?.message).toMatch(
      /^\/reason must be one of "ApplicationReset", .*, but is the string "Boot"$/,
    );

    expect(validatePayload('1.6', 'Authorize', 'request', { idTag: 'X'.repeat(21) })).toEqual([
      {
        code: 'schema-length',
        severity: 'error',
        message: '/idTag is 21 characters long; at most 20 allowed',
        path: '/idTag',
        errorCode: 'PropertyConstraintViolation',
      },
    ]);

    expect(validatePayload('2.0.1', 'Heartbeat', 'response', { currentTime: '24.11.2026 10:00' })).toEqual([
      {
        code: 'schema-format',
        severity: 'error',
        message:
          '/currentTime must be a date-time (RFC 3339, e.g. 2025-01-31T12:00:00Z), but is the string "24.11.2026 10:00"',
        path: '/currentTime',
        errorCode: 'PropertyConstraintViolation',
      },
    ]);
  });

  it('maximum and minItems', () => {
    const needs = {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'DC',
        dcChargingParameters: { evMaxCurrent: 100, evMaxVoltage: 400, stateOfCharge: 150 },
      },
    };
    expect(validatePayload('2.0.1', 'NotifyEVChargingNeeds', 'request', needs)).toEqual([
      {
        code: 'schema-range',
        severity: 'error',
        message: '/chargingNeeds/dcChargingParameters/stateOfCharge must be <= 100, but is the number 150',
        path: '/chargingNeeds/dcChargingParameters/stateOfCharge',
        errorCode: 'PropertyConstraintViolation',
      },
    ]);
    expect(validatePayload('2.0.1', 'MeterValues', 'request', { evseId: 1, meterValue: [] })).toEqual([
      {
        code: 'schema-items',
        severity: 'error',
        message: '/meterValue must have at least 1 elements, but has 0',
        path: '/meterValue',
        errorCode: 'OccurrenceConstraintViolation',
      },
    ]);
  });

  it('reports every violation of a payload, not just the first', () => {
    const f = validatePayload('2.0.1', 'BootNotification', 'request', {
      reason: 5,
      chargingStation: { model: 1 },
    });
    expect(f.map((x) => `${x.code} ${x.path}`).sort()).toEqual([
      'schema-enum /reason',
      'schema-required /chargingStation/vendorName',
      'schema-type /chargingStation/model',
      'schema-type /reason',
    ]);
  });

  it('lists only the first violation of a huge payload, so a hostile frame stays cheap', () => {
    const meterValue = Array.from({ length: 20_000 }, () => ({ timestamp: 'not a time', sampledValue: [] }));
    const f = validatePayload('2.0.1', 'MeterValues', 'request', { evseId: 1, meterValue });
    expect(f.map((x) => x.code)).toEqual(['schema-items', 'schema-more-not-listed']);
    expect(f[0]?.path).toBe('/meterValue/0/sampledValue');
    // The same violations in a small payload are all listed.
    const small = validatePayload('2.0.1', 'MeterValues', 'request', {
      evseId: 1,
      meterValue: meterValue.slice(0, 3),
    });
    expect(small.filter((x) => x.code === 'schema-format')).toHaveLength(3);
    expect(small.filter((x) => x.code === 'schema-items')).toHaveLength(3);
  });

  it('accepts 1.6 limits that are multiples of 0.1 despite floating point', () => {
    const profile = {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0.3 }] },
      },
    };
    expect(validatePayload('1.6', 'SetChargingProfile', 'request', profile)).toEqual([]);
  });

  it('names an unknown action instead of validating it, and never throws on odd payloads', () => {
    expect(validatePayload('1.6', 'TransactionEvent', 'request', {})).toEqual([
      {
        code: 'unknown-action',
        severity: 'error',
        message: "OCPP 1.6 has no action 'TransactionEvent' (names are case-sensitive)",
        errorCode: 'NotImplemented',
      },
    ]);
    expect(validatePayload('2.1', 'NotifyPeriodicEventStream', 'response', {})[0]?.code).toBe(
      'no-response-schema',
    );
    expect(validatePayload('2.0.1', 'Heartbeat', 'request', [] as unknown as JsonObject)[0]?.code).toBe(
      'schema-type',
    );
    expect(validatePayload('2.0.1', 'Heartbeat', 'request', undefined)[0]?.code).toBe('schema-type');
  });
});

describe('payloadSchema for editors', () => {
  it('drops the urn identity and keeps every ref local, for every schema', () => {
    for (const v of OCPP_VERSIONS) {
      for (const a of actionsOf(v)) {
        for (const kind of ['request', 'response'] as const) {
          const s = payloadSchema(v, a.name, kind);
          if (a.sendOnly && kind === 'response') {
            expect(s).toBeUndefined();
            continue;
          }
          expect(s).toBeDefined();
          const text = JSON.stringify(s);
          expect(s?.$id).toBeUndefined();
          expect(typeof s?.id === 'string' && s.id.startsWith('urn:')).toBe(false);
          expect(text).not.toContain('"$ref":"urn:');
          expect(text).not.toContain('javaType');
          for (const m of text.matchAll(/"\$ref":"([^"]*)"/g)) expect(m[1]).toMatch(/^#\/definitions\/\w+$/);
        }
      }
    }
  });

  it('returns a copy: the vendored schema (and so validation) is untouched', () => {
    const s = payloadSchema('2.0.1', 'Heartbeat', 'response');
    expect(s?.required).toEqual(['currentTime']);
    delete s?.required;
    expect((rawPayloadSchema('2.0.1', 'Heartbeat', 'response') as JsonObject).$id).toBe(
      'urn:OCPP:Cp:2:2020:3:HeartbeatResponse',
    );
    expect(payloadSchema('2.0.1', 'Heartbeat', 'response')?.required).toEqual(['currentTime']);
    expect(validatePayload('2.0.1', 'Heartbeat', 'response', {})[0]?.code).toBe('schema-required');
  });

  it('is undefined for what the version lacks', () => {
    expect(payloadSchema('1.6', 'TransactionEvent', 'request')).toBeUndefined();
    expect(payloadSchema('2.0.1', 'toString', 'request')).toBeUndefined();
  });
});

describe('generated schema index', () => {
  it('holds exactly the vendored files, unchanged (rerun build/gen-schema-index.mjs if this fails)', () => {
    const dir = fileURLToPath(new URL('../../../shared/ocpp/schemas/', import.meta.url));
    let files = 0;
    for (const v of OCPP_VERSIONS) {
      for (const f of readdirSync(dir + v).filter((x) => x.endsWith('.json'))) {
        files++;
        const base = f.slice(0, -5);
        const kind = base.endsWith('Response') ? 'response' : 'request';
        let action = kind === 'response' ? base.slice(0, -8) : base;
        if (kind === 'request' && v !== '1.6' && action.endsWith('Request')) action = action.slice(0, -7);
        expect(rawPayloadSchema(v, action, kind), `${v}/${f}`).toEqual(
          JSON.parse(readFileSync(dir + v + '/' + f, 'utf8')),
        );
      }
    }
    expect(files).toBe(387);
  });
});
