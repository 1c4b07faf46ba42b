import { describe, expect, it } from 'vitest';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { Station } from '../../../../electron/engine/station/station';
import {
  CHARGER_SECURITY_16,
  CHARGER_SECURITY_201,
} from '../../../../shared/scenario/suites/charger-security';
import { CSMS_SECURITY_16, CSMS_SECURITY_201 } from '../../../../shared/scenario/suites/csms-security';
import { Harness } from '../engine-harness';
import { runAgainstCharger, runAgainstCsms, verdicts } from './check-harness';
import { startRpcCharger } from './rpc-charger';
import { startRpcCsms } from './rpc-csms';

/**
 * The security suites run end to end over loopback and give verdicts: charger-security against an ocpp-rpc charger
 * (strict mode) and our own station on profile 1 and 2 endpoints; csms-security against our own endpoint and an
 * ocpp-rpc server enforcing Basic auth, and against ones that let a wrong password in.
 */

const PROFILE_1_ANY = { securityProfile: 1, acceptAnyPassword: true } as const;
const notPassed = (r: { cases: { id: string; verdict: string; reason?: string }[] }) =>
  r.cases.filter((c) => c.verdict !== 'passed').map((c) => `${c.id}: ${c.verdict}: ${c.reason}`);

describe.each([
  { suite: CHARGER_SECURITY_16, version: '1.6' as const },
  { suite: CHARGER_SECURITY_201, version: '2.0.1' as const },
])('$suite.name against an ocpp-rpc charger (strict mode) on a profile 1 endpoint', ({ suite, version }) => {
  it('a charger that sends Basic auth and takes the new password passes; the TLS case fails on plain ws', async () => {
    const { report } = await runAgainstCharger(
      suite,
      (url) => startRpcCharger(url, version, { identity: 'CP-SEC', password: 'initial-password-1234' }),
      { defaultTimeoutSec: 10 },
      PROFILE_1_ANY,
    );
    expect(verdicts(report, 'passed')).toEqual(['basic-auth', 'password-update']);
    const tls = report.cases.find((c) => c.id === 'tls')!;
    expect(tls.verdict).toBe('failed');
    expect(tls.failure?.actual).toMatch(/\/tls\/protocol .*(absent|missing|not there)/i);
  }, 60_000);

  it('a charger that accepts the new password but keeps the old one fails password-update, saying so', async () => {
    const { report } = await runAgainstCharger(
      suite,
      (url) =>
        startRpcCharger(url, version, {
          identity: 'CP-OLD',
          password: 'initial-password-1234',
          keepsOldPassword: true,
        }),
      { defaultTimeoutSec: 10, cases: ['basic-auth', 'password-update'] },
      PROFILE_1_ANY,
    );
    expect(verdicts(report, 'passed')).toEqual(['basic-auth']);
    const update = report.cases.find((c) => c.id === 'password-update')!;
    expect(update.verdict).toBe('failed');
    expect(update.failure?.actual).toMatch(
      version === '1.6' ? /\/basicAuth\/passwordHex/ : /\/basicAuth\/password /,
    );
  }, 60_000);

  it('a charger that sends no credentials fails basic-auth', async () => {
    const { report } = await runAgainstCharger(
      suite,
      (url) => startRpcCharger(url, version, { identity: 'CP-NOAUTH' }),
      { defaultTimeoutSec: 5, cases: ['basic-auth'] },
      { securityProfile: 0 },
    );
    expect(verdicts(report, 'failed')).toEqual(['basic-auth']);
    expect(report.cases[0]!.failure?.actual).toMatch(/\/basicAuth\/username/);
  }, 60_000);
});

describe('charger-security against our own station on a profile 2 endpoint (TLS + Basic auth)', () => {
  it.each([CHARGER_SECURITY_16, CHARGER_SECURITY_201])(
    '$name: basic-auth and tls pass',
    async (suite) => {
      const station = new Station(new ConnectionHub());
      const { report } = await runAgainstCharger(
        suite,
        async (url) => {
          const c = await station.connect({
            url: `${url}/CP-TLS`,
            protocols: [suite.version],
            basicAuth: { username: 'CP-TLS', password: 'tls-password-1234' },
            tls: { allowInsecure: true },
          });
          if (!c.isOpen) throw new Error(c.failure?.message ?? 'not open');
          return { stop: () => c.close(1000, 'done') };
        },
        { cases: ['basic-auth', 'tls'] },
        { securityProfile: 2, acceptAnyPassword: true, tls: { generateCertificate: true } },
      );
      expect(notPassed(report)).toEqual([]);
    },
    60_000,
  );
});

describe.each([CSMS_SECURITY_16, CSMS_SECURITY_201])('$name (the tool is the charger)', (suite) => {
  const auth = { username: 'CP-SEC', password: 'right-password-1234' };

  it('our endpoint on profile 1 with the charger’s password passes every case', async () => {
    const h = new Harness();
    try {
      const url = await h.listen({
        securityProfile: 1,
        acceptAnyPassword: false,
        passwords: { 'CP-SEC': auth.password },
        protocols: [suite.version],
      });
      const { report, events } = await runAgainstCsms(suite, `${url}CP-SEC`, {}, auth);
      expect(notPassed(report)).toEqual([]);
      // The refused attempts are in the stream as failed handshakes with the CSMS's 401.
      const refused = events.filter((e) => e.kind === 'opened' && !e.ok);
      expect(refused.map((e) => (e.kind === 'opened' ? e.handshake.response?.status : 0))).toEqual([
        401, 401,
      ]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('an ocpp-rpc CSMS enforcing Basic auth passes every case', async () => {
    const csms = await startRpcCsms(suite.version as '1.6' | '2.0.1', { password: auth.password });
    try {
      const url = csms.url.replace(/CP-CHECK$/, 'CP-SEC');
      const { report } = await runAgainstCsms(suite, url, {}, auth);
      expect(notPassed(report)).toEqual([]);
    } finally {
      await csms.stop();
    }
  }, 60_000);

  it('a CSMS that lets any password in fails the refusal cases, saying it accepted', async () => {
    const h = new Harness();
    try {
      const url = await h.listen({ ...PROFILE_1_ANY, protocols: [suite.version] });
      const { report } = await runAgainstCsms(suite, `${url}CP-SEC`, {}, auth);
      expect(verdicts(report, 'passed')).toEqual(['basic-auth-accepted']);
      expect(verdicts(report, 'failed')).toEqual(['wrong-password-refused', 'no-credentials-refused']);
      const wrong = report.cases.find((c) => c.id === 'wrong-password-refused')!.failure!;
      expect(wrong.expected).toContain('refuse it (HTTP 401)');
      expect(wrong.actual).toBe('the CSMS accepted the connection (101 Switching Protocols)');
    } finally {
      await h.close();
    }
  }, 60_000);
});
