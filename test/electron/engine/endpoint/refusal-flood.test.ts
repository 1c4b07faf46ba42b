import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OpenedEvent } from '../../../../shared/capture/events';
import { Harness } from '../engine-harness';

/**
 * Floods of refused attempts on loopback beside good chargers, as an attacker would send them: a password guesser,
 * a client sending HTTP garbage in a loop. The good chargers are accepted and recorded; the flood is recorded in
 * full only for its first attempts, then counted into one record per address and episode with counts by reason.
 */

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

function attempt(url: string, identity: string, password: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url + identity, ['ocpp1.6'], {
      headers: { Authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` },
    });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

function garbage(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
    s.on('data', () => undefined);
    s.once('close', () => resolve());
    s.once('error', () => resolve());
  });
}

const failures = (h: Harness): OpenedEvent[] =>
  h.events.filter((e): e is OpenedEvent => e.kind === 'opened' && !e.ok);

describe('floods of refused attempts', () => {
  it('a password guesser beside good chargers: first attempts in full, the rest counted in one record', async () => {
    const h = new Harness({
      endpoint: { refusals: { recordedInFull: 5, quietMs: 60_000, maxEpisodeMs: 120_000 } },
    });
    cleanups.push(() => h.close());
    const passwords = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`GOOD-${i}`, `pw-${i}`]));
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords });
    const port = Number(new URL(url).port);
    const results: (number | 'open')[] = [];
    const good: (number | 'open')[] = [];
    for (let i = 0; i < 120; i++) {
      results.push(await attempt(url, 'GOOD-0', `guess-${i}`));
      if (i % 30 === 0) good.push(await attempt(url, `GOOD-${i / 30}`, `pw-${i / 30}`));
    }
    for (let i = 0; i < 30; i++) await garbage(port);
    // Every guess was refused, every good charger accepted while the flood went on.
    expect(results.every((r) => r === 401)).toBe(true);
    expect(good).toEqual(['open', 'open', 'open', 'open']);
    expect(h.events.filter((e) => e.kind === 'opened' && e.ok)).toHaveLength(4);

    // The episode is still open (no quiet spell on a loaded machine is assumed): stopping reports it.
    await h.endpoint.stop();
    const summary = await h.waitFor<OpenedEvent>(
      (e) => e.kind === 'opened' && e.handshake.failure?.code === 'refused-attempts-counted',
      15_000,
      'the record of the counted attempts',
    );
    const message = summary.handshake.findings[0]!.message;
    expect(summary.handshake.findings[0]!.code).toBe('refused-attempts-counted');
    expect(summary.handshake.remote?.address).toBe('127.0.0.1');
    expect(message).toMatch(/^150 attempts from 127\.0\.0\.1 were refused/);
    expect(message).toContain('120 auth-wrong-password');
    expect(message).toContain('30 http-malformed');
    // Five recorded in full (wrong password, with its finding), the summary, nothing else: not 150 records.
    const full = failures(h).filter((e) => e.handshake.failure?.code !== 'refused-attempts-counted');
    expect(full).toHaveLength(5);
    expect(full.every((e) => e.handshake.findings.some((f) => f.code === 'auth-wrong-password'))).toBe(true);
    expect(failures(h)).toHaveLength(6);
  });

  it('a few refusals are each recorded, with no summary', async () => {
    const h = new Harness({ endpoint: { refusals: { recordedInFull: 5, quietMs: 100 } } });
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords: { CP: 'right' } });
    for (let i = 0; i < 3; i++) expect(await attempt(url, 'CP', 'wrong')).toBe(401);
    expect(await attempt(url, 'CP', 'right')).toBe('open');
    await h.endpoint.stop();
    expect(failures(h)).toHaveLength(3);
    expect(failures(h).some((e) => e.handshake.failure?.code === 'refused-attempts-counted')).toBe(false);
  });
});
