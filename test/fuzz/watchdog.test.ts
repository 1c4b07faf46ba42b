import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fuzz-watchdog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WATCHDOG = fileURLToPath(new URL('./watchdog.ts', import.meta.url));

/** Runs `body` in a fresh Node process (TypeScript through tsx) with a Watchdog `w` of 300 ms in scope. */
function run(body: string): Promise<{ code: number | null; signal: string | null; err: string }> {
  const script = join(dir, `child-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(
    script,
    `import { Watchdog } from ${JSON.stringify(WATCHDOG)};\n` +
      `const w = new Watchdog('test', 300, ${JSON.stringify(join(dir, 'hang-'))});\n${body}\n`,
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

describe('the fuzz watchdog', () => {
  it('stops a process whose input never returns, naming and saving that input', async () => {
    const r = await run(`w.beginText(7, 'the hanging input');\nfor (;;) {}`);
    expect(r.signal).toBe('SIGKILL');
    expect(r.err).toContain('test input #7 has not returned in 300 ms');
    expect(readFileSync(join(dir, 'hang-7'), 'utf8')).toBe('the hanging input');
  }, 20_000);

  it('leaves a process alone whose inputs each return, however many there are', async () => {
    const r = await run(
      `for (let i = 0; i < 20000; i++) { w.begin(i, new Uint8Array([i & 255])); w.end(); }\n` +
        `await w.stop();\nconsole.error('done');`,
    );
    expect(r.err.trim()).toBe('done');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'hang-19999'))).toBe(false);
  }, 20_000);
});
