import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionInfo, actionsOf, actionsSentBy, maySend, SENDER_TABLE } from '../../../shared/ocpp/actions';
import { ERROR_CODES, formatViolationCode, occurrenceViolationCode } from '../../../shared/ocpp/error-codes';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';

const schemaDir = fileURLToPath(new URL('../../../shared/ocpp/schemas/', import.meta.url));

describe('actions', () => {
  it('1.6 has 28 core and 11 security-extension actions', () => {
    const all = actionsOf('1.6');
    expect(all.filter((a) => !a.security)).toHaveLength(28);
    expect(all.filter((a) => a.security).map((a) => a.name)).toEqual([
      'CertificateSigned',
      'DeleteCertificate',
      'ExtendedTriggerMessage',
      'GetInstalledCertificateIds',
      'GetLog',
      'InstallCertificate',
      'LogStatusNotification',
      'SecurityEventNotification',
      'SignCertificate',
      'SignedFirmwareStatusNotification',
      'SignedUpdateFirmware',
    ]);
  });

  it('2.0.1 has 64 actions; 2.1 has 90 plus the SEND-only NotifyPeriodicEventStream', () => {
    expect(actionsOf('2.0.1')).toHaveLength(64);
    const v21 = actionsOf('2.1');
    expect(v21.filter((a) => !a.sendOnly)).toHaveLength(90);
    expect(v21.filter((a) => a.sendOnly).map((a) => a.name)).toEqual(['NotifyPeriodicEventStream']);
    expect(actionsOf('2.0.1').some((a) => a.sendOnly || a.security)).toBe(false);
  });

  it('lists exactly the actions that have schema files on disk', () => {
    for (const v of OCPP_VERSIONS) {
      const files = readdirSync(schemaDir + v).filter((f) => f.endsWith('.json'));
      const requests = files
        .map((f) => f.slice(0, -5))
        .filter((b) => !b.endsWith('Response'))
        .map((b) => (v !== '1.6' && b.endsWith('Request') ? b.slice(0, -7) : b))
        .sort();
      expect(
        actionsOf(v)
          .map((a) => a.name)
          .sort(),
      ).toEqual(requests);
    }
  });

  it('the hand-written sender table covers every action exactly once and names no action that does not exist', () => {
    for (const v of OCPP_VERSIONS) {
      const t = SENDER_TABLE[v];
      const listed = [...t.station, ...t.csms, ...t.both];
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual(
        actionsOf(v)
          .map((a) => a.name)
          .sort(),
      );
    }
  });

  it('knows who sends what', () => {
    expect(actionInfo('1.6', 'BootNotification')?.sender).toBe('station');
    expect(actionInfo('1.6', 'RemoteStartTransaction')?.sender).toBe('csms');
    expect(actionInfo('1.6', 'SignCertificate')).toEqual({
      name: 'SignCertificate',
      sender: 'station',
      security: true,
    });
    expect(actionInfo('2.0.1', 'TransactionEvent')?.sender).toBe('station');
    expect(actionInfo('2.0.1', 'SetVariables')?.sender).toBe('csms');
    expect(actionInfo('2.1', 'NotifyPeriodicEventStream')).toEqual({
      name: 'NotifyPeriodicEventStream',
      sender: 'station',
      sendOnly: true,
    });
    for (const v of OCPP_VERSIONS) expect(actionInfo(v, 'DataTransfer')?.sender).toBe('both');
    expect(maySend('2.0.1', 'Heartbeat', 'csms')).toBe(false);
    expect(maySend('2.0.1', 'DataTransfer', 'csms')).toBe(true);
    expect(maySend('2.0.1', 'heartbeat', 'station')).toBeUndefined();
    expect(actionInfo('1.6', 'TransactionEvent')).toBeUndefined();
    expect(actionInfo('2.1', 'constructor')).toBeUndefined();
    expect(actionsSentBy('1.6', 'station').map((a) => a.name)).toContain('DataTransfer');
    expect(actionsSentBy('1.6', 'station')).toHaveLength(14);
  });
});

describe('error codes', () => {
  it('spell each version as its specification does', () => {
    expect(ERROR_CODES['1.6']).toContain('OccurenceConstraintViolation');
    expect(ERROR_CODES['1.6']).toContain('FormationViolation');
    expect(ERROR_CODES['1.6']).not.toContain('RpcFrameworkError');
    expect(ERROR_CODES['2.0.1']).toContain('OccurrenceConstraintViolation');
    expect(ERROR_CODES['2.1']).toContain('MessageTypeNotSupported');
    expect(ERROR_CODES['1.6']).toHaveLength(10);
    expect(ERROR_CODES['2.0.1']).toHaveLength(12);
    expect(formatViolationCode('1.6')).toBe('FormationViolation');
    expect(formatViolationCode('2.1')).toBe('FormatViolation');
    expect(occurrenceViolationCode('1.6')).toBe('OccurenceConstraintViolation');
    expect(occurrenceViolationCode('2.0.1')).toBe('OccurrenceConstraintViolation');
  });
});
