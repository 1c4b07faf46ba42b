import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/host/cli';
import { EXIT } from '../../../electron/host/exit-codes';
import { memoryIo } from './memory-io';

const COMMANDS = [
  'serve',
  'listen',
  'connect',
  'send',
  'proxy',
  'replay',
  'convert',
  'inspect',
  'simulate',
  'check',
  'files',
  'diff',
];

describe('every command reads its argv with the one parser', () => {
  it.each(COMMANDS)(
    '%s: an unknown option is one sentence naming it, exit 2, nothing on stdout',
    async (command) => {
      const m = memoryIo();
      expect(await runCli([command, '--no-such-option'], m.io)).toBe(EXIT.usage);
      expect(m.stderr()).toMatch(new RegExp(`^ocpp-scope ${command}: .*unknown option --no-such-option`));
      expect(m.stdout()).toBe('');
    },
  );

  it.each([
    ['listen', '--port'],
    ['send', '--timeout'],
    ['replay', '--to'],
    ['inspect', '--limit'],
    ['diff', '--report'],
  ])(
    '%s: an option without its value (%s at the end) is exit 2 naming the option',
    async (command, option) => {
      const m = memoryIo();
      expect(await runCli([command, option], m.io)).toBe(EXIT.usage);
      expect(m.stderr()).toContain(`${option} needs a value`);
    },
  );

  it('suggests the option meant when one letter is off', async () => {
    const m = memoryIo();
    expect(await runCli(['inspect', 'x.jsonl', '--idenity', 'CP-1'], m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toContain('unknown option --idenity (did you mean --identity?)');
  });

  it('takes a file named like an option after --', async () => {
    const m = memoryIo();
    // The file does not exist: the command got as far as opening it (exit 4), so -- made it an operand.
    expect(await runCli(['inspect', '--', '--json'], m.io)).toBe(EXIT.file);
    expect(m.stderr()).toContain('--json');
  });

  it.each([
    [['replay', 'x.jsonl', '--listen', 'abc'], '--listen must be a number from 0 to 65535'],
    [['replay', 'x.jsonl', '--to', 'ws://a b/x'], 'is not a URL'],
    [['serve', '--port='], '--port must be a number from 0 to 65535'],
    [['listen', '--ping', '1e8'], '--ping needs a whole number from 0 to 86400'],
    [['connect', 'ws://127.0.0.1:1/CP', '--ping', '0.001'], '--ping needs a whole number from 0 to 86400'],
  ])(
    '%j: a value out of range is exit 2 with the shared sentence, before anything starts',
    async (argv, text) => {
      const m = memoryIo();
      expect(await runCli(argv, m.io)).toBe(EXIT.usage);
      expect(m.stderr()).toContain(text);
    },
  );
});
