import type { Scenario, ScenarioCase } from '../scenario-types';
import { send, status } from './step-builders';
import type { OcppVersion } from '../../ocpp/versions';

/**
 * csms-security-1.6 and -2.0.1: the tool is the charger, the CSMS under test must enforce security profile 1 (HTTP
 * Basic auth, identity as user name): the run's credentials (`check --user/--password`) open a connection, a wrong
 * password or none at all is refused with 401 before any OCPP frame. Each refusal case ends by connecting again
 * with the run's credentials, so the cases after it have a connection.
 */

const VARIABLES = { wrongPassword: 'OcppScope-wrong-password-0000' };

const reconnectWithOwn = { step: 'connect', title: 'connect again with the right password' } as const;

/**
 * OCTT ids (ids only): 1.6 has TC_085_CSMS for the accepted password and no Central System case for a refusal;
 * 2.0.1 has TC_A_01_CSMS, and TC_A_03_CSMS, whose refusals are exactly our two (no Authorization header, a wrong
 * password).
 */
const OCTT: Record<OcppVersion, Partial<Record<'accepted' | 'refused', string>>> = {
  '1.6': { accepted: 'TC_085_CSMS' },
  '2.0.1': { accepted: 'TC_A_01_CSMS', refused: 'TC_A_03_CSMS' },
  '2.1': {},
};

/** `octt` for a case when the version has an id for it. */
function octt(version: OcppVersion, kind: 'accepted' | 'refused'): { octt?: string } {
  const id = OCTT[version][kind];
  return id === undefined ? {} : { octt: id };
}

function cases(version: OcppVersion): ScenarioCase[] {
  const boot =
    version === '1.6'
      ? send('BootNotification', { chargePointVendor: 'OCPP Scope', chargePointModel: 'Check' })
      : send('BootNotification', {
          reason: 'PowerUp',
          chargingStation: { vendorName: 'OCPP Scope', model: 'Check' },
        });
  return [
    {
      id: 'basic-auth-accepted',
      title: 'The right identity and password open a connection, and the CSMS talks OCPP on it',
      ...octt(version, 'accepted'),
      steps: [{ step: 'connect', expect: 'accepted' }, boot, status('Accepted', 'Pending')],
    },
    {
      id: 'wrong-password-refused',
      title: 'A wrong Basic auth password is refused with HTTP 401 before any OCPP frame',
      ...octt(version, 'refused'),
      steps: [
        { step: 'connect', basicAuth: { password: '{{wrongPassword}}' }, expect: 'refused', status: 401 },
        reconnectWithOwn,
      ],
    },
    {
      id: 'no-credentials-refused',
      title: 'A connection without Basic auth is refused with HTTP 401',
      ...octt(version, 'refused'),
      steps: [{ step: 'connect', basicAuth: null, expect: 'refused', status: 401 }, reconnectWithOwn],
    },
  ];
}

export const CSMS_SECURITY_16: Scenario = {
  name: 'csms-security-1.6',
  description:
    'Security profile 1 of an OCPP 1.6J Central System (security extension): Basic auth enforced, with the tool as a charge point. Give the right password with --user/--password.',
  version: '1.6',
  role: 'station',
  variables: VARIABLES,
  cases: cases('1.6'),
};

export const CSMS_SECURITY_201: Scenario = {
  name: 'csms-security-2.0.1',
  description:
    'Security profile 1 of an OCPP 2.0.1 CSMS: Basic auth enforced, with the tool as a charging station. Give the right password with --user/--password.',
  version: '2.0.1',
  role: 'station',
  variables: VARIABLES,
  cases: cases('2.0.1'),
};
