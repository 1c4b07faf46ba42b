import { describe, expect, it } from 'vitest';
import { runCli, usage } from '../../../electron/host/cli';
import { EXIT } from '../../../electron/host/exit-codes';
import { memoryIo } from './memory-io';

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

  it('loads the commands of the other parts, or says they are not available', async () => {
    for (const command of ['listen', 'connect', 'replay', 'convert', 'inspect']) {
      const m = memoryIo();
      const code = await runCli([command, '--help'], m.io);
      if (code === EXIT.unavailable) {
        expect(m.stderr()).toBe(`ocpp-scope ${command}: this command is not available yet in this build.\n`);
      } else {
        expect(code, command).toBe(EXIT.ok);
        expect(m.stdout().length, command).toBeGreaterThan(0);
      }
    }
  });
});
