import { describe, expect, it } from 'vitest';
import { exampleRequest } from '../../../../shared/ocpp/examples';
import { parseFrame } from '../../../../shared/ocpp/frame';
import {
  callErrorTemplate,
  callTemplate,
  freshMessageId,
  guessFrame,
  messageIdOf,
  prettyFrame,
  replaceMessageId,
  resultTemplate,
  sendTemplate,
  TRANSFER_ACTIONS,
  withTransferUrl,
} from '../../../../renderer/src/logic/templates';
import type { TransferTicketInfo } from '../../../../shared/api';
import { actionInfo } from '../../../../shared/ocpp/actions';
import { validatePayload } from '../../../../shared/ocpp/schema-registry';
import { OCPP_VERSIONS } from '../../../../shared/ocpp/versions';

describe('composer templates', () => {
  it('builds frames that parse, for every kind', () => {
    const boot = callTemplate('id-1', 'BootNotification', exampleRequest('2.0.1', 'BootNotification'));
    const r = parseFrame(boot, '2.0.1');
    expect(r.ok && r.frame.type === 2 && r.frame.action).toBe('BootNotification');
    expect(parseFrame(resultTemplate('id-2', { status: 'Accepted' }), '2.0.1').ok).toBe(true);
    expect(parseFrame(callErrorTemplate('id-3'), '1.6').ok).toBe(true);
    expect(parseFrame(callErrorTemplate('id-4', 5), '2.1').ok).toBe(true);
    expect(parseFrame(sendTemplate('id-5', 'NotifyPeriodicEventStream', {}), '2.1').ok).toBe(true);
  });

  it('keeps the envelope on one line and pretty-prints the payload below it', () => {
    expect(callTemplate('a', 'Heartbeat', {})).toBe('[2, "a", "Heartbeat", {}]');
    expect(resultTemplate('b', { status: 'Accepted' })).toBe('[3, "b", {\n  "status": "Accepted"\n}]');
    expect(callErrorTemplate('c')).toBe('[4, "c", "NotImplemented", "Describe what went wrong", {}]');
  });

  it('lays out a one-line suggested frame like a template, and keeps text that does not parse', () => {
    expect(prettyFrame('[3,"x",{"idTagInfo":{"status":"Accepted"}}]')).toBe(
      '[3, "x", {\n  "idTagInfo": {\n    "status": "Accepted"\n  }\n}]',
    );
    expect(prettyFrame('[3,"x",')).toBe('[3,"x",');
  });

  it('replaces only the message id and keeps every other byte, even of broken frames', () => {
    const text = '[ 2 ,\n  "old-id", "Heartbeat", {"x": 1,, }';
    const out = replaceMessageId(text, 'new-id');
    expect(out).toBe('[ 2 ,\n  "new-id", "Heartbeat", {"x": 1,, }');
    expect(messageIdOf(out)).toBe('new-id');
    expect(replaceMessageId('not a frame', 'x')).toBe('not a frame');
    expect(replaceMessageId('[2, "a\\"b", "X", {}]', 'z')).toBe('[2, "z", "X", {}]');
  });

  it('guesses type, id and action from partial text', () => {
    expect(guessFrame('[2, "abc", "Reset", {')).toEqual({ type: 2, id: 'abc', action: 'Reset' });
    expect(guessFrame('[3, "abc", {}]')).toEqual({ type: 3, id: 'abc' });
    expect(guessFrame('{}')).toEqual({});
  });

  it('fresh ids are unique and within the 36 character limit', () => {
    const ids = new Set(Array.from({ length: 200 }, freshMessageId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(36);
  });
});

describe('transfer templates (withTransferUrl)', () => {
  const ticket: TransferTicketInfo = {
    token: 'tok123456789',
    identity: 'CP1',
    direction: 'download',
    urls: [
      { protocol: 'http', url: 'http://192.168.1.2:8080/t/tok123456789/fw.bin' },
      { protocol: 'ftp', url: 'ftp://ocpp:tok123456789@192.168.1.2:2121/fw.bin' },
    ],
    firmware: {
      name: 'fw.bin',
      size: 10,
      sha256: 'ab'.repeat(32),
      signingCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      signature: 'c2lnbmF0dXJl',
    },
  };
  const cases = OCPP_VERSIONS.flatMap((v) =>
    TRANSFER_ACTIONS.filter((a) => actionInfo(v, a)).map((a) => [v, a] as const),
  );

  it.each(cases)(
    '%s %s: the URL of the chosen protocol lands where the schema wants it, still valid',
    (v, action) => {
      const payload = withTransferUrl(action, exampleRequest(v, action), ticket, 'ftp');
      expect(validatePayload(v, action, 'request', payload)).toEqual([]);
      const text = JSON.stringify(payload);
      expect(text).toContain('ftp://ocpp:tok123456789@192.168.1.2:2121/fw.bin');
      if ('firmware' in payload) expect(text).toContain('c2lnbmF0dXJl');
    },
  );

  it('falls back to the first URL when the chosen protocol does not run, and leaves a payload alone without URLs', () => {
    expect(withTransferUrl('GetDiagnostics', { location: 'x' }, ticket, 'ftps')).toEqual({
      location: 'http://192.168.1.2:8080/t/tok123456789/fw.bin',
    });
    expect(withTransferUrl('GetDiagnostics', { location: 'x' }, { ...ticket, urls: [] }, 'http')).toEqual({
      location: 'x',
    });
  });
});
