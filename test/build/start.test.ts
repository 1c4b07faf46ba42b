import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchStdout, stopChild, type Exit } from '../support/child-process';
import { httpStatus as status } from '../support/http-status';
import { testTempDir } from '../support/temp-dirs';

const root = join(import.meta.dirname, '..', '..');

describe('npm start without the Electron runtime', () => {
  beforeAll(() => {
    // start.mjs serves through the bundled CLI. Not rebuilt here: other test files import the same bundle in
    // parallel workers, and `npm test` builds before any test runs.
    if (!existsSync(join(root, 'dist', 'node', 'cli.mjs')))
      throw new Error('dist/node/cli.mjs is missing: run `npm run build` before this test');
  });

  /** Runs build/start.mjs until it prints the serve URL, checks the URL answers, stops it; returns its output lines. */
  async function runStart(display: string | undefined): Promise<string[]> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OCPP_SCOPE_SKIP_BUILD: '1',
      // Never download anything in a test: behave as a machine without internet access.
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      HOME: testTempDir('home'),
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    if (display !== undefined) env.DISPLAY = display;
    const child = spawn(process.execPath, ['build/start.mjs'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let lines: string[];
    let exit: Exit;
    try {
      // The URL line is complete once its newline is there; `input` is everything printed up to it.
      const printed = await matchStdout(child, /(http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)\n/, 'a URL');
      const url = printed[1]!;
      expect([200, 503]).toContain(await status(url));
      expect(await status(new URL(url).origin + '/')).toBe(403);
      lines = printed.input.split('\n');
      expect(lines[1]).toBe(`OCPP Scope is serving on ${url}`);
    } finally {
      exit = await stopChild(child);
    }
    // SIGTERM is the normal way to stop serve mode: it exits 0, by itself.
    expect(exit).toEqual({ code: 0, signal: null, forced: false });
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
