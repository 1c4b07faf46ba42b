import { describe, expect, it } from 'vitest';
import { REDACTED, redactEvent } from '../../../shared/capture/redact';
import type { ScopeEvent } from '../../../shared/capture/events';

describe('redaction', () => {
  it('removes the Basic-auth password from headers and the handshake record but keeps the identity', () => {
    const e: ScopeEvent = {
      kind: 'opened',
      seq: 0,
      t: 0,
      mono: 0,
      conn: 'c',
      ok: true,
      connection: { id: 'c', role: 'station', identity: 'CP1', url: 'wss://CP1:pw@csms.test/ocpp/CP1' },
      handshake: {
        request: {
          startLine: 'GET /ocpp/CP1 HTTP/1.1',
          headers: [
            ['Authorization', 'Basic ' + btoa('CP1:topsecret')],
            ['Host', 'csms.test'],
          ],
        },
        offeredProtocols: ['ocpp1.6'],
        basicAuth: {
          username: 'CP1',
          password: 'topsecret',
          passwordHex: '746f70736563726574',
          printable: true,
        },
        findings: [],
      },
    };
    const r = redactEvent(e);
    const json = JSON.stringify(r);
    expect(json).not.toContain('topsecret');
    expect(json).not.toContain(btoa('CP1:topsecret'));
    expect(json).not.toContain(':pw@');
    expect(r.kind === 'opened' && r.handshake.request.headers[0]![1]).toBe(`Basic ${REDACTED} (user CP1)`);
    expect(r.kind === 'opened' && r.handshake.basicAuth?.username).toBe('CP1');
    expect(JSON.stringify(e)).toContain('topsecret'); // the original is untouched
  });

  it('replaces password-like payload values: 1.6 config keys, 2.x variables and security profile fields', () => {
    const frames = [
      '[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"0011223344"}]',
      '[2,"2","SetVariables",{"setVariableData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"attributeValue":"hunter22"}]}]',
      '[2,"3","SetNetworkProfile",{"configurationSlot":1,"connectionData":{"basicAuthPassword":"pw-9","ocppCsmsUrl":"wss://x"}}]',
      '[3,"4",{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"abcdef"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}]',
    ];
    for (const text of frames) {
      const r = redactEvent({
        kind: 'frame',
        seq: 0,
        t: 0,
        mono: 0,
        conn: 'c',
        sender: 'csms',
        text,
        findings: [],
      });
      const out = r.kind === 'frame' ? r.text : '';
      expect(out).toContain(REDACTED);
      for (const secret of ['0011223344', 'hunter22', 'pw-9', 'abcdef']) expect(out).not.toContain(secret);
    }
    const hb = redactEvent({
      kind: 'frame',
      seq: 0,
      t: 0,
      mono: 0,
      conn: 'c',
      sender: 'csms',
      text: frames[3]!,
      findings: [],
    });
    expect(hb.kind === 'frame' && hb.text).toContain('"300"');
    const plain = '[2,"5","Heartbeat",{}]';
    const same = redactEvent({
      kind: 'frame',
      seq: 0,
      t: 0,
      mono: 0,
      conn: 'c',
      sender: 'csms',
      text: plain,
      findings: [],
    });
    expect(same.kind === 'frame' && same.text).toBe(plain);
  });
});
