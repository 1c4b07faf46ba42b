import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import { runEndpointUntilStopped } from '../../../electron/host/commands/endpoint-command';
import { runListen } from '../../../electron/host/commands/listen';
import { runProxy } from '../../../electron/host/commands/proxy';
import { lineIo } from '../../support/line-io';

/** One io type for every command, and one start / print / run-until-stopped path for listen and proxy. */

describe('one CLI io type', () => {
  it('is declared once in electron/host', () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'electron', 'host');
    const declaring = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.ts'))
      .filter((d) => /export (interface|type) CliIo\b/.test(readFileSync(join(d.parentPath, d.name), 'utf8')))
      .map((d) => d.name);
    expect(declaring).toEqual(['cli-context.ts']);
  });
});

describe('run until stopped', () => {
  it.each([
    ['listen', runListen, [] as string[], /^Listening on ws:\/\/127\.0\.0\.1:\d+\//],
    ['proxy', runProxy, ['--to', 'ws://127.0.0.1:1/ocpp'], /^Proxying on ws:\/\/127\.0\.0\.1:\d+\//],
  ])('%s prints its banner first, and Ctrl+C ends it with 0', async (_name, run, extra, banner) => {
    const t = lineIo();
    const done = run(['--host', '127.0.0.1', '--port', '0', ...extra], t.io);
    await t.until((lines) => lines.length > 0);
    expect(t.out[0]).toMatch(banner);
    t.stop();
    expect(await done).toBe(0);
    expect(t.out.at(-1)).toBe('Stopped.');
  });

  it('a port in use is a connection failure (3) with one line on stderr, and prints no banner', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const port = (busy.address() as AddressInfo).port;
      const t = lineIo();
      let bannerAsked = false;
      const code = await runEndpointUntilStopped(
        t.io,
        'listen',
        { settings: { ...defaultEndpointSettings(), host: '127.0.0.1', port }, json: false, help: false },
        () => {
          bannerAsked = true;
          return ['never'];
        },
      );
      expect(code).toBe(3);
      expect(bannerAsked).toBe(false);
      expect(t.err).toHaveLength(1);
      expect(t.err[0]).toMatch(/^ocpp-scope listen: /);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});
