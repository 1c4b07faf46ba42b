import type { Scenario, ScenarioCase } from '../scenario-types';
import { is, oneOf, result, send, status } from './step-builders';

/**
 * charger-security-1.6 and -2.0.1: what a charger shows of security profiles 1 and 2 on its connection to the tool
 * (run the endpoint with the matching profile: Basic auth for 1, TLS + Basic auth for 2), and a password change.
 * The profile-2 case fails on a profile-1 connection by design: it checks that TLS 1.2 or later was spoken.
 */

const PASSWORD_16 = '0123456789abcdef0123456789abcdef01234567';
const PASSWORD_201 = 'OcppScopeNewPassword-1234';

const TLS = { '/tls/protocol': oneOf('TLSv1.2', 'TLSv1.3') };

/** Profiles 1 and 2 as the handshake shows them, the same checks in both versions (`who`: charger or station). */
function profileCases(who: string, profile1: string, profile2: string): ScenarioCase[] {
  return [
    {
      id: 'basic-auth',
      title: `Profile 1: the ${who} sends HTTP Basic auth with its identity as the user name`,
      octt: profile1,
      steps: [
        {
          step: 'expect-handshake',
          match: {
            '/basicAuth/username': is('{{identity}}'),
            '/basicAuth/passwordHex': { regex: '^[0-9a-f]{2,}$' },
          },
        },
      ],
    },
    {
      id: 'tls',
      title: `Profile 2: the ${who} speaks TLS 1.2 or later and sends Basic auth`,
      octt: profile2,
      steps: [{ step: 'expect-handshake', match: { ...TLS, '/basicAuth/username': is('{{identity}}') } }],
    },
  ];
}

/** The hex of a text's characters (the key is ASCII): what a charger that sends the key as text puts on the wire. */
function asciiHex(text: string): string {
  return [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/**
 * The tool drops the connection and waits for the charger to come back: whether the charger reconnects by itself
 * after the change or not, the next connection must carry the new password.
 */
const nextConnection = [
  { step: 'disconnect', title: 'drop the connection so the charger connects again' },
  { step: 'reconnect' },
] as const;

export const CHARGER_SECURITY_16: Scenario = {
  name: 'charger-security-1.6',
  description:
    'Security profiles 1 and 2 of an OCPP 1.6J charge point (security extension), with the tool as its Central System.',
  version: '1.6',
  role: 'csms',
  answers: { BootNotification: { payload: { status: 'Accepted', currentTime: '{{now}}', interval: 300 } } },
  cases: [
    ...profileCases('charger', 'TC_085_CS', 'TC_086_CS'),
    {
      id: 'password-update',
      title: 'A new AuthorizationKey is Accepted and used on the next connection',
      octt: 'TC_073_CS',
      timeoutSec: 120,
      steps: [
        send('ChangeConfiguration', { key: 'AuthorizationKey', value: PASSWORD_16 }),
        status('Accepted'),
        ...nextConnection,
        {
          step: 'expect-handshake',
          title:
            'the new connection carries the new AuthorizationKey (as 20 bytes or as its 40 hex characters)',
          match: {
            '/basicAuth/username': is('{{identity}}'),
            '/basicAuth/passwordHex': oneOf(PASSWORD_16, asciiHex(PASSWORD_16)),
          },
        },
      ],
    },
  ],
};

export const CHARGER_SECURITY_201: Scenario = {
  name: 'charger-security-2.0.1',
  description: 'Security profiles 1 and 2 of an OCPP 2.0.1 charging station, with the tool as its CSMS.',
  version: '2.0.1',
  role: 'csms',
  answers: { BootNotification: { payload: { status: 'Accepted', currentTime: '{{now}}', interval: 300 } } },
  cases: [
    ...profileCases('station', 'TC_A_01_CS', 'TC_A_04_CS'),
    {
      id: 'password-update',
      title: 'A new SecurityCtrlr.BasicAuthPassword is Accepted and used on the next connection',
      octt: 'TC_A_09_CS',
      timeoutSec: 120,
      steps: [
        send('SetVariables', {
          setVariableData: [
            {
              attributeValue: PASSWORD_201,
              component: { name: 'SecurityCtrlr' },
              variable: { name: 'BasicAuthPassword' },
            },
          ],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('Accepted') }),
        ...nextConnection,
        {
          step: 'expect-handshake',
          title: 'the new connection carries the new password',
          match: { '/basicAuth/username': is('{{identity}}'), '/basicAuth/password': is(PASSWORD_201) },
        },
      ],
    },
  ],
};
