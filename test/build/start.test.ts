import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

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

describe('npm start without the Electron runtime', () => {
  beforeAll(() => {
    // start.mjs serves through the bundled CLI; build just that part (the full build is `npm run build`'s job).
    const built = spawnSync(process.execPath, ['build/build-node.mjs'], { cwd: root, stdio: 'pipe' });
    expect(built.status, built.stderr.toString()).toBe(0);
  });

  /** Runs build/start.mjs until it prints the serve URL, checks the URL answers, stops it; returns its output lines. */
  async function runStart(display: string | undefined): Promise<string[]> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OCPP_SCOPE_SKIP_BUILD: '1',
      // Never download anything in a test: behave as a machine without internet access.
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      HOME: mkdtempSync(join(tmpdir(), 'scope-home-')),
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    if (display !== undefined) env.DISPLAY = display;
    const child = spawn(process.execPath, ['build/start.mjs'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let text = '';
    let errors = '';
    let lines: string[];
    try {
      child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${text}`)), 20_000);
        // After a URL this is the test's own SIGTERM, and the promise is already settled.
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`build/start.mjs exited with ${code} before printing a URL: ${text}${errors}`));
        });
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(text);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
      });
      expect([200, 503]).toContain(await status(url));
      expect(await status(new URL(url).origin + '/')).toBe(403);
      lines = text.split('\n');
      expect(lines[1]).toBe(`OCPP Scope is serving on ${url}`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    return lines;
  }

  it('says in one plain sentence that Electron is missing, starts serve mode and prints the URL', async () => {
    const lines = await runStart(':99');
    expect(lines[0]).toBe(
      'The Electron runtime is not available on this machine, so OCPP Scope is starting in serve mode in your browser instead.',
    );
  });

  it('on a machine without a display (and without the runtime) still names the missing runtime and serves', async () => {
    const lines = await runStart(undefined);
    expect(lines[0]).toBe(
      'The Electron runtime is not available on this machine, so OCPP Scope is starting in serve mode in your browser instead.',
    );
  });
});
