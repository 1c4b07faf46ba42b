import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchStdout, stopChild, type Exit } from '../../support/child-process';
import { httpStatus as status } from '../../support/http-status';

const root = join(import.meta.dirname, '..', '..', '..');

describe('ocpp-scope serve (end to end, in a child process)', () => {
  it('prints the tokened URL, guards it with 403, and stops cleanly on SIGTERM', async () => {
    // Its own data dir: parallel runs must not share settings or captures.
    const dataDir = mkdtempSync(join(tmpdir(), 'scope-serve-cli-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'test/electron/host/run-cli.ts'),
        'serve',
        '--json',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let exit: Exit;
    try {
      const [line] = await matchStdout(child, /^.*(?=\n)/, 'the JSON line');
      const { url, bridge } = JSON.parse(line) as { url: string; bridge: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/);
      expect(bridge).toBe(`${url.replace('http://', 'ws://')}bridge`);
      const origin = new URL(url).origin;
      expect(await status(`${origin}/`)).toBe(403);
      expect(await status(`${origin}/not-the-token/`)).toBe(403);
      // 200 with a built UI, 503 with the "UI is not built" page: never 403 with the token.
      expect([200, 503]).toContain(await status(url));
    } finally {
      exit = await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(exit).toEqual({ code: 0, signal: null, forced: false });
  });
});
