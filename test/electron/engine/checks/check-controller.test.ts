import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../../../electron/engine/endpoint/endpoint';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import type { CheckStatus } from '../../../../shared/api';
import { Wake } from '../../../support/wake';
import { startRpcCharger } from './rpc-charger';

const SCENARIO = JSON.stringify({
  name: 'ui-run',
  version: '1.6',
  role: 'csms',
  cases: [
    {
      id: 'with-person',
      title: 'A person confirms, then a triggered Heartbeat comes',
      steps: [
        { step: 'prompt', text: 'Press Done.' },
        { step: 'send', action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' } },
        { step: 'expect', messageType: 'CALLRESULT', match: { '/status': { equals: 'Accepted' } } },
        { step: 'expect', messageType: 'CALL', action: 'Heartbeat' },
      ],
    },
    { id: 'skipped', title: 'The person skips this one', steps: [{ step: 'prompt', text: 'Press Skip.' }] },
  ],
});

describe('ScopeEngine checks (the contract the Checks tab uses)', () => {
  it('runs a scenario on a charger of the endpoint, asks the person through notices, restores auto-answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'check-engine-'));
    const engine = new ScopeEngine({ dataDir, noticeIntervalMs: 5 });
    const wake = new Wake();
    let status: CheckStatus = { state: 'idle', cases: [] };
    engine.onNotices((notices) => {
      for (const n of notices) if (n.type === 'check') status = n.status;
      wake.notify();
    });
    const policies = [{ version: '1.6' as const, action: 'Heartbeat', mode: 'auto' as const }];
    await engine.setAutoAnswer(policies);
    const ep = await engine.startEndpoint({
      ...DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
    });
    const charger = await startRpcCharger(`ws://127.0.0.1:${ep.port}/ocpp`, '1.6');
    try {
      const conn = (await engine.listConnections()).find((c) => c.identity === 'CP-GOOD')!;
      await expect(engine.startCheck({ suite: 'nope', target: conn.id })).rejects.toThrow(
        'There is no built-in suite "nope"',
      );
      await expect(engine.startCheck({ suite: 'csms-core-1.6', target: conn.id })).rejects.toThrow(
        'give its ws:// or wss:// URL',
      );
      await engine.startCheck({ scenario: SCENARIO, target: conn.id, timeoutSec: 5 });
      const first = await wake.until('the first prompt', () => status.prompt);
      expect(first.text).toBe('Press Done.');
      expect(status.cases.map((c) => c.state)).toEqual(['running', 'pending']);
      await engine.answerCheckPrompt(first.id, 'done');
      const second = await wake.until('the second prompt', () =>
        status.prompt?.id !== first.id ? status.prompt : undefined,
      );
      await engine.answerCheckPrompt(second.id, 'skip');
      const done = await wake.until('the end of the run', () =>
        status.state === 'done' ? status : undefined,
      );
      expect(done.cases.map((c) => c.state)).toEqual(['passed', 'skipped']);
      const texts = done.report!.cases[0]!.frames.map((f) => `${f.sender} ${f.text}`);
      expect(texts.some((t) => /^csms \[2,"[^"]+","TriggerMessage"/.test(t))).toBe(true);
      expect(texts.some((t) => /^station \[2,"[^"]+","Heartbeat"/.test(t))).toBe(true);
      expect((await engine.getCheck()).state).toBe('done');
      // The endpoint answers by its policies again, and the run left a note in the log.
      expect(engine.hub.answers.listPolicies()).toEqual(policies);
      const page = await engine.queryEvents('live', {}, 0, 1000);
      expect(
        page.events.some((e) => e.kind === 'note' && e.text.includes('Check ui-run finished: 1 passed')),
      ).toBe(true);
    } finally {
      await charger.stop();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('runs csms-security with the Basic auth the Checks tab gives, against its own endpoint on profile 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'check-engine-'));
    const engine = new ScopeEngine({ dataDir, noticeIntervalMs: 5 });
    const wake = new Wake();
    let status: CheckStatus = { state: 'idle', cases: [] };
    engine.onNotices((notices) => {
      for (const n of notices) if (n.type === 'check') status = n.status;
      wake.notify();
    });
    try {
      const ep = await engine.startEndpoint({
        ...DEFAULT_ENDPOINT_SETTINGS,
        host: '127.0.0.1',
        port: 0,
        pingIntervalSec: 0,
        securityProfile: 1,
        acceptAnyPassword: false,
        passwords: { 'CP-UI': 'ui-password-1234' },
      });
      await engine.startCheck({
        suite: 'csms-security-1.6',
        target: `ws://127.0.0.1:${ep.port}/ocpp/CP-UI`,
        basicAuth: { username: 'CP-UI', password: 'ui-password-1234' },
        timeoutSec: 5,
      });
      const report = await wake.until(
        'the report',
        () => (status.state === 'done' ? status.report : undefined),
        15_000,
      );
      expect(report.cases.map((c) => `${c.id}: ${c.verdict}`)).toEqual([
        'basic-auth-accepted: passed',
        'wrong-password-refused: passed',
        'no-credentials-refused: passed',
      ]);
    } finally {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
