import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/** Runs the real dispatcher in a child process and returns its exit code and output. */
function ocppScope(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/electron/host/run-cli.ts'), ...args],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ocpp-scope ${args.join(' ')} did not finish in 20 s`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Each case starts the CLI in fresh processes through tsx (cold transpile of the engine): on a loaded 2-core machine
// two of them took over 30 s together; each child still has its own 20 s bound.
describe('ocpp-scope as a process', { timeout: 60_000 }, () => {
  it('exits 2 with one sentence for an unknown command', async () => {
    const r = await ocppScope('lisen');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ocpp-scope: unknown command "lisen"; run `ocpp-scope --help` for the list of commands.\n',
    );
  });

  it('exits 2 for a bad URL and 3 for a refused connection', async () => {
    const bad = await ocppScope('send', 'http://127.0.0.1/CP1', '[2,"1","Heartbeat",{}]');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await ocppScope('send', `ws://127.0.0.1:${port}/CP1`, '--action', 'Heartbeat', '--json');
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout.trim())).toMatchObject({
      step: 'failed',
      code: 'tcp-refused',
      stage: 'tcp',
    });
    expect(refused.stderr).toContain(`Nothing accepts connections on 127.0.0.1:${port}`);
  });
});
