import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { runCheck } from '../../../../electron/host/commands/check';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../e2e/harness';
import { startRpcCharger } from '../../engine/checks/rpc-charger';
import { startRpcCsms } from '../../engine/checks/rpc-csms';
import { recordSession, runCharger } from '../../engine/replay/ocpp-session';
import { testIo } from './cli-test-io';
import { testTempDir } from '../../../support/temp-dirs';

const JUNIT_XSD = readFileSync(
  fileURLToPath(new URL('../../../support/fixtures/junit-10.xsd', import.meta.url)),
  'utf8',
);

/** Runs `check ... --listen 127.0.0.1:0` and connects `start` to the port it prints. */
async function checkCharger(
  args: string[],
  start: (url: string) => Promise<{ stop(): Promise<void> }>,
): Promise<{ code: number; out: string; err: string }> {
  let charger: Promise<{ stop(): Promise<void> }> | undefined;
  const t = testIo((text) => {
    const m = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(text);
    if (m && !charger) charger = start(`ws://127.0.0.1:${m[1]}/ocpp`);
  });
  const code = await runCheck([...args, '--listen', '127.0.0.1:0', '--no-prompt', '--timeout', '3'], t.io);
  await (await charger)?.stop();
  return { code, out: t.out(), err: t.err() };
}

const CASES = [
  '--case',
  'boot',
  '--case',
  'reset-soft',
  '--case',
  'trigger-heartbeat',
  '--case',
  'local-start-stop',
];

describe('ocpp-scope check', () => {
  it('--list names every suite and its cases with their test case ids', async () => {
    const t = testIo();
    expect(await runCheck(['--list'], t.io)).toBe(0);
    for (const s of ['charger-core-1.6', 'charger-core-2.0.1', 'charger-security-1.6', 'csms-core-2.0.1'])
      expect(t.out()).toContain(s);
    expect(t.out()).toMatch(/reset-soft\s+TC_014_CS/);
    expect(t.out()).toMatch(/local-start-stop\s+TC_004_1_CS\s+\[person\]/);
  });

  it('exit 0 for a compliant charger, with a JUnit report valid against the common schema and an HTML report', async () => {
    const dir = testTempDir('check-cli');
    const r = await checkCharger(
      ['--suite', 'charger-core-1.6', ...CASES, '--junit', join(dir, 'r.xml'), '--html', join(dir, 'r.html')],
      (url) => startRpcCharger(url, '1.6'),
    );
    expect(r.err).toContain('Charger CP-GOOD connected (ocpp1.6)');
    expect(r.out).toMatch(/^PASS\s+boot \(TC_001_CS\)/m);
    expect(r.out).toMatch(/^SKIP\s+local-start-stop/m);
    expect(r.out).toContain('3 passed, 0 failed, 0 inconclusive, 1 skipped');
    expect(r.code).toBe(0);
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    const v = await validateXML({ xml: [{ fileName: 'r.xml', contents: xml }], schema: [JUNIT_XSD] });
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    expect(xml).toContain('tests="4" failures="0" errors="0" skipped="1"');
  }, 60_000);

  it('exit 1 for a broken charger; the reports carry the failing step and its frames and open in Chromium cleanly', async () => {
    const dir = testTempDir('check-cli');
    const html = join(dir, 'r.html');
    const r = await checkCharger(
      ['--suite', 'charger-core-1.6', ...CASES, '--junit', join(dir, 'r.xml'), '--html', html],
      (url) => startRpcCharger(url, '1.6', { broken: true }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL\s+reset-soft \(TC_014_CS\)/m);
    expect(r.out).toContain('actual:   expected CALLRESULT, got CALLERROR NotImplemented to Reset');
    expect(r.out).toMatch(/^FAIL\s+trigger-heartbeat/m);
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    const v = await validateXML({ xml: [{ fileName: 'r.xml', contents: xml }], schema: [JUNIT_XSD] });
    expect(v.errors).toEqual([]);
    expect(xml).toContain('failures="2"');
    expect(xml).toMatch(/<system-out>[^<]*&quot;Reset&quot;/);

    const userDataDir = testTempDir('check-html-chromium');
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`file://${html}`);
      await expect(page.locator('h1').textContent()).resolves.toContain('Not passed');
      await expect(page.locator('#case-reset-soft dd').first().textContent()).resolves.toContain(
        'expect CALLRESULT',
      );
      await expect(page.locator('#case-reset-soft tr.hit').count()).resolves.toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('exit 3 when no charger comes within --wait, 2 for a wrong command line, 4 for a bad scenario file', async () => {
    const t = testIo();
    expect(
      await runCheck(['--suite', 'charger-core-2.0.1', '--listen', '127.0.0.1:0', '--wait', '0.2'], t.io),
    ).toBe(3);
    expect(t.err()).toContain('no charger connected within 0.2 s');
    const u = testIo();
    expect(await runCheck(['--suite', 'nope', '--listen', '0'], u.io)).toBe(2);
    expect(u.err()).toContain('there is no suite "nope"');
    // "-h" as a password is a password, not a request for help.
    const h = testIo();
    expect(await runCheck(['--suite', 'nope', '--password', '-h', '--listen', '0'], h.io)).toBe(2);
    expect(h.out()).toBe('');
    expect(h.err()).toContain('there is no suite "nope"');
    expect(await runCheck(['--suite', 'csms-core-1.6', '--listen', '0'], testIo().io)).toBe(2);
    expect(
      await runCheck(['--suite', 'charger-core-1.6', '--listen', '0', '--case', 'nope'], testIo().io),
    ).toBe(2);
    const dir = testTempDir('check-cli');
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ version: '1.6', role: 'csms', steps: [{ step: 'expect', within: -1 }] }),
    );
    const f = testIo();
    expect(await runCheck(['--scenario', join(dir, 'bad.json'), '--listen', '0'], f.io)).toBe(4);
    expect(f.err()).toContain('/steps/0/within: "within" must be a number of seconds from 0 to 86400');
  });

  it('--to runs a CSMS suite as a charger: 0 against a correct CSMS, 1 against a wrong one', async () => {
    const good = await startRpcCsms('2.0.1');
    const t = testIo();
    const code = await runCheck(
      ['--suite', 'csms-core-2.0.1', '--to', good.url, '--timeout', '3', '--json'],
      t.io,
    );
    await good.stop();
    expect(code).toBe(0);
    const report = JSON.parse(t.out()) as { cases: { verdict: string }[] };
    expect(report.cases.every((c) => c.verdict === 'passed')).toBe(true);
    const wrong = await startRpcCsms('1.6', { wrong: true });
    const w = testIo();
    expect(await runCheck(['--suite', 'csms-core-1.6', '--to', wrong.url, '--timeout', '3'], w.io)).toBe(1);
    await wrong.stop();
    expect(w.out()).toMatch(/^FAIL\s+boot/m);
    expect(w.out()).toContain('actual:   /status is "Pending", expected "Accepted"');
  }, 60_000);

  it('--to with --password runs csms-security as the identity: 0 when the CSMS refuses wrong passwords, 3 without a password', async () => {
    const strict = await startRpcCsms('1.6', { password: 'cli-password-1234' });
    const url = strict.url.replace(/CP-CHECK$/, 'CP-CLI');
    const t = testIo();
    const code = await runCheck(
      ['--suite', 'csms-security-1.6', '--to', url, '--password', 'cli-password-1234', '--timeout', '3'],
      t.io,
    );
    await strict.stop();
    expect(t.out()).toMatch(/^PASS\s+wrong-password-refused/m);
    expect(code).toBe(0);
    // Without --password the charger cannot even log in: the CSMS is unreachable for it (exit 3).
    const again = await startRpcCsms('1.6', { password: 'cli-password-1234' });
    const n = testIo();
    expect(await runCheck(['--suite', 'csms-security-1.6', '--to', again.url, '--timeout', '3'], n.io)).toBe(
      3,
    );
    await again.stop();
    expect(n.err()).toMatch(/401|auth/i);
  }, 60_000);

  it('--compile turns a recorded connection into a scenario that passes against the same charger behaviour', async () => {
    const capture = await recordSession(testTempDir('replay-rec'));
    const dir = testTempDir('check-cli');
    const file = join(dir, 'recorded.json');
    const c = testIo();
    expect(await runCheck(['--compile', capture, '--out', file, '--side', 'csms'], c.io)).toBe(0);
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { cases: { steps: { step: string }[] }[] };
    expect(scenario.cases[0]!.steps.map((s) => s.step)).toContain('answer');
    const r = await checkCharger(['--scenario', file], async (url) => {
      const done = runCharger(url);
      return { stop: async () => void (await done) };
    });
    expect(r.out).toMatch(/^PASS\s+recorded/m);
    expect(r.code).toBe(0);
  }, 60_000);
});
