import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedEvent } from '../../../shared/capture/events';
import { Harness } from './engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Writes a hand-made upgrade request and resolves with everything the server answers before it hangs up. */
function rawUpgrade(port: number, protocolLines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 5 s'));
    }, 5000);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.write(
      [
        'GET /ocpp/CP1 HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        ...protocolLines.map((v) => `Sec-WebSocket-Protocol: ${v}`),
        '',
        '',
      ].join('\r\n'),
    );
  });
}

describe('every handshake is recorded', () => {
  for (const lines of [['ocpp1.6, ocpp1.6'], ['ocpp1.6 x'], ['ocpp1.6', 'ocpp1.6'], ['ocpp1.6,']]) {
    it(`a refused Sec-WebSocket-Protocol ${JSON.stringify(lines)} leaves an opened event with a reason`, async () => {
      h = new Harness();
      const url = await h.listen();
      const port = Number(new URL(url).port);
      const answer = await rawUpgrade(port, lines);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const opened = await h.waitFor<OpenedEvent>((e) => e.kind === 'opened', 2000, 'opened');
      expect(opened.ok).toBe(false);
      expect(opened.handshake.response?.status).toBe(400);
      expect(opened.handshake.findings.map((f) => f.code)).toContain('bad-subprotocol-header');
    });
  }

  it('the same header through the proxy is recorded too', async () => {
    const upstream = new Harness();
    try {
      const upUrl = await upstream.listen();
      h = new Harness();
      const url = await h.listen({ upstream: { url: upUrl.replace(/\/$/, '') } });
      const answer = await rawUpgrade(Number(new URL(url).port), ['ocpp1.6, ocpp1.6']);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const opened = await h.waitFor<OpenedEvent>((e) => e.kind === 'opened', 2000, 'opened');
      expect(opened.handshake.findings.map((f) => f.code)).toContain('bad-subprotocol-header');
    } finally {
      await upstream.close();
    }
  });
});
