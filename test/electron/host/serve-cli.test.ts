import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('ocpp-scope serve (end to end, in a child process)', () => {
  it('prints the tokened URL, guards it with 403, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'test/electron/host/run-cli.ts'),
        'serve',
        '--json',
        '--data-dir',
        join(tmpdir(), 'scope-serve-cli-test'),
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${text}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\n')) {
            clearTimeout(timer);
            resolve(text.split('\n')[0]!);
          }
        });
      });
      const { url, bridge } = JSON.parse(line) as { url: string; bridge: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/);
      expect(bridge).toBe(`${url.replace('http://', 'ws://')}bridge`);
      const origin = new URL(url).origin;
      expect(await status(`${origin}/`)).toBe(403);
      expect(await status(`${origin}/not-the-token/`)).toBe(403);
      // 200 with a built UI, 503 with the "UI is not built" page: never 403 with the token.
      expect([200, 503]).toContain(await status(url));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
