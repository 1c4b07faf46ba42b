import { describe, expect, it } from 'vitest';
import { runCli, usage } from '../../../electron/host/cli';
import { EXIT } from '../../../electron/host/exit-codes';
import { memoryIo } from './memory-io';
import { Wake } from '../../support/wake';
import { testTempDir } from '../../support/temp-dirs';

describe('ocpp-scope dispatcher', () => {
  it('prints the commands and the exit codes on --help', async () => {
    const m = memoryIo();
    expect(await runCli(['--help'], m.io)).toBe(EXIT.ok);
    for (const command of ['serve', 'listen', 'connect', 'send', 'replay', 'convert', 'inspect']) {
      expect(m.stdout()).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(m.stdout()).toContain('Exit codes:');
    expect(m.stdout()).toContain('130  interrupted');
  });

  it('shows the usage on stderr and exits 2 without a command', async () => {
    const m = memoryIo();
    expect(await runCli([], m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toBe(usage());
  });

  it('names an unknown command in one sentence and exits 2', async () => {
    const m = memoryIo();
    expect(await runCli(['lisen'], m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toBe(
      'ocpp-scope: unknown command "lisen"; run `ocpp-scope --help` for the list of commands.\n',
    );
    expect(m.stdout()).toBe('');
  });

  it('does not treat prototype names as commands', async () => {
    const m = memoryIo();
    expect(await runCli(['constructor'], m.io)).toBe(EXIT.usage);
  });

  it.each([['serve'], ['send']])('has --help for %s, also as `help %s`', async (command) => {
    const a = memoryIo();
    expect(await runCli([command, '--help'], a.io)).toBe(EXIT.ok);
    expect(a.stdout()).toContain(`Usage: ocpp-scope ${command}`);
    const b = memoryIo();
    expect(await runCli(['help', command], b.io)).toBe(EXIT.ok);
    expect(b.stdout()).toBe(a.stdout());
  });

  it('prints the version', async () => {
    const m = memoryIo();
    expect(await runCli(['--version'], m.io)).toBe(EXIT.ok);
    expect(m.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('refuses unknown options with a pointer to --help', async () => {
    const m = memoryIo();
    expect(await runCli(['serve', '--prot', '1'], m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toMatch(/^ocpp-scope serve: .*--prot.*see `ocpp-scope serve --help`\.\n$/);
  });

  it('answers --help for every command in the table', async () => {
    for (const command of ['serve', 'listen', 'connect', 'send', 'proxy', 'replay', 'convert', 'inspect']) {
      const m = memoryIo();
      expect(await runCli([command, '--help'], m.io), command).toBe(EXIT.ok);
      expect(m.stdout().length, command).toBeGreaterThan(0);
    }
  });
});

describe('ocpp-scope serve (in process)', () => {
  it('prints the URL as JSON and stops cleanly when interrupted', async () => {
    const m = memoryIo();
    // Every write to stdout (and the command ending) re-checks for the first printed line.
    const wake = new Wake();
    const write = m.io.stdout.write.bind(m.io.stdout);
    m.io.stdout.write = (text: string) => {
      const r = write(text);
      wake.notify();
      return r;
    };
    let ended: number | undefined;
    const running = runCli(['serve', '--json', '--data-dir', testTempDir('cli-serve')], m.io).then((code) => {
      ended = code;
      wake.notify();
      return code;
    });
    try {
      await wake.until('serve to print its URL line', () => {
        if (ended !== undefined) throw new Error(`serve ended (${ended}) before printing: ${m.stderr()}`);
        return m.stdout().includes('\n');
      });
      const printed = JSON.parse(m.stdout().split('\n')[0]!) as { url: string; bridge: string };
      expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/);
      const res = await fetch(printed.url.replace(/\/[^/]+\/$/, '/'));
      expect(res.status).toBe(403);
      m.interrupt();
      expect(await running).toBe(EXIT.ok);
      await expect(fetch(printed.url)).rejects.toThrow();
    } finally {
      // Stopped also when an expectation failed: serve must not outlive the test, nor write into its removed data dir.
      m.interrupt();
      await running;
    }
  });

  it('says the port is taken in one sentence and exits 3', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const m = memoryIo();
      expect(await runCli(['serve', '--port', String(port)], m.io)).toBe(EXIT.connection);
      expect(m.stderr()).toContain(
        `ocpp-scope serve: port ${port} is already in use; choose another with --port.\n`,
      );
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('refuses a port that is not a number', async () => {
    const m = memoryIo();
    expect(await runCli(['serve', '--port', 'http'], m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toBe('ocpp-scope serve: --port must be a number from 0 to 65535, not "http".\n');
  });
});
