import { describe, expect, it } from 'vitest';
import type { HandshakeRecord } from '../../../shared/capture/events';
import { diagnoseHandshake, diagnosisLine } from '../../../shared/capture/handshake-diagnosis';

const request = { startLine: 'GET /ocpp/CP1 HTTP/1.1', headers: [] as [string, string][] };
const refused = (status: number, text: string, findings: HandshakeRecord['findings']): HandshakeRecord => ({
  request,
  response: { startLine: `HTTP/1.1 ${status} ${text}`, headers: [], status },
  offeredProtocols: ['ocpp1.6'],
  findings,
});

describe('diagnoseHandshake: one sentence for every view', () => {
  it('an endpoint-side wrong password is an authentication failure with the HTTP answer', () => {
    const d = diagnoseHandshake(
      refused(401, 'Unauthorized', [
        { code: 'auth-username-mismatch', severity: 'warning', message: 'user differs' },
        {
          code: 'auth-wrong-password',
          severity: 'error',
          message: 'The password sent for "CP1" is not the configured one.',
        },
      ]),
      false,
    );
    expect(d).toMatchObject({ step: 'auth', code: 'auth-wrong-password', severity: 'error' });
    expect(d?.sentence).toBe(
      'The password sent for "CP1" is not the configured one. Answered HTTP 401 Unauthorized.',
    );
    expect(diagnosisLine(d!)).toMatch(/^failed at authentication: The password/);
  });

  it('each refusal names its own step: client certificate (TLS), no supported subprotocol, a bare 403', () => {
    expect(
      diagnoseHandshake(
        refused(403, 'Forbidden', [{ code: 'client-cert-rejected', severity: 'error', message: 'x' }]),
        false,
      )?.step,
    ).toBe('tls');
    expect(
      diagnoseHandshake(
        refused(400, 'Bad Request', [{ code: 'no-supported-subprotocol', severity: 'error', message: 'y' }]),
        false,
      )?.step,
    ).toBe('subprotocol');
    const bare = diagnoseHandshake(refused(403, 'Forbidden', []), false);
    expect(bare).toMatchObject({ step: 'http', code: 'http-status' });
    expect(bare?.sentence).toBe('The upgrade was refused. Answered HTTP 403 Forbidden.');
  });

  it('a recorded failure (station side: refused, unknown CA) is used as written', () => {
    const rec: HandshakeRecord = {
      request,
      offeredProtocols: [],
      findings: [],
      failure: {
        stage: 'tls',
        code: 'tls-unknown-ca',
        message: 'The server certificate is signed by an unknown CA',
      },
    };
    expect(diagnoseHandshake(rec, false)).toMatchObject({
      step: 'tls',
      code: 'tls-unknown-ca',
      sentence: 'The server certificate is signed by an unknown CA.',
    });
    const tcp = diagnoseHandshake(
      { ...rec, failure: { stage: 'tcp', code: 'tcp-refused', message: 'Nothing listens.' } },
      false,
    );
    expect(tcp?.stepLabel).toBe('TCP connect');
  });

  it('connected without a subprotocol is a warning, and a clean handshake has no diagnosis', () => {
    const ok: HandshakeRecord = {
      request,
      offeredProtocols: [],
      findings: [],
      response: { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [], status: 101 },
    };
    expect(diagnoseHandshake(ok, true)).toMatchObject({ step: 'subprotocol', severity: 'warning' });
    expect(diagnoseHandshake({ ...ok, chosenProtocol: 'ocpp1.6' }, true)).toBeUndefined();
  });
});
