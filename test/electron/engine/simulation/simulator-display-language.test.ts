import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

const message = (id: number, language?: string): JsonObject => ({
  message: {
    id,
    priority: 'NormalCycle',
    message: { format: 'UTF8', content: `Message ${id}`, ...(language ? { language } : {}) },
  },
});

describe.each(['2.0.1', '2.1'] as const)('simulated station display languages, OCPP %s', (v) => {
  it('answers LanguageNotSupported (2.1) for a language outside DisplayMessageCtrlr.Language', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: v,
      identity: `LANG-${v}`,
      heartbeatSec: 60,
      statuses: 2,
    });
    const got = await csms.call('GetVariables', {
      getVariableData: [{ component: { name: 'DisplayMessageCtrlr' }, variable: { name: 'Language' } }],
    });
    expect((got['getVariableResult'] as JsonObject[])[0]).toMatchObject({ attributeValue: 'en' });
    expect((await csms.call('SetDisplayMessage', message(1, 'de')))['status']).toBe('Accepted');
    expect((await csms.call('SetDisplayMessage', message(2, 'en-GB')))['status']).toBe('Accepted');
    expect((await csms.call('SetDisplayMessage', message(3)))['status']).toBe('Accepted');
    // 2.0.1 has no status for it: the message is kept (the CSMS cannot be told otherwise).
    expect((await csms.call('SetDisplayMessage', message(4, 'ja')))['status']).toBe(
      v === '2.1' ? 'LanguageNotSupported' : 'Accepted',
    );
    const found = await csms.call('GetDisplayMessages', { requestId: 1, id: [4] });
    expect(found['status']).toBe(v === '2.1' ? 'Unknown' : 'Accepted');
    expect(csms.failures).toEqual([]);
  });
});
