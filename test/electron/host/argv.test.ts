import { describe, expect, it } from 'vitest';
import { asksForHelp, optionsHelp, parseArgv, usageLine } from '../../../electron/host/argv';

const TABLE = {
  to: { type: 'string', value: 'URL', help: 'the CSMS to connect to' },
  header: { type: 'string', multiple: true, value: '"N: V"', help: 'extra request header' },
  json: { type: 'boolean', help: 'print JSON lines' },
  filter: { type: 'string', value: 'EXPR', help: 'events to keep' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  hidden: { type: 'string' },
} as const;

describe('the CLI argv parser (one table per command)', () => {
  it('reads values spaced or with =, flags, repeats in order, and operands', () => {
    const r = parseArgv(
      ['a.jsonl', '--to', 'ws://h/x', '--header=A: 1', '--json', '--header', 'B: 2', 'b.har'],
      TABLE,
    );
    expect(r).toEqual({
      ok: true,
      values: { to: 'ws://h/x', header: ['A: 1', 'B: 2'], json: true },
      positionals: ['a.jsonl', 'b.har'],
    });
  });

  it('keeps the last of a repeated single option, and knows short names', () => {
    expect(parseArgv(['--to', 'ws://a', '--to', 'ws://b', '-h'], TABLE)).toMatchObject({
      ok: true,
      values: { to: 'ws://b', help: true },
    });
  });

  it('takes - as an operand (stdin/stdout) and everything after -- as operands', () => {
    expect(parseArgv(['-', '--', '--json', '-h'], TABLE)).toEqual({
      ok: true,
      values: {},
      positionals: ['-', '--json', '-h'],
    });
  });

  it("takes a value that starts with - when it is not one of the command's options", () => {
    expect(parseArgv(['--filter', '-cp:CP9', '--to', '-'], TABLE)).toMatchObject({
      ok: true,
      values: { filter: '-cp:CP9', to: '-' },
    });
  });

  it('says what is wrong in one phrase: unknown option (with a near name), missing value, value on a flag', () => {
    expect(parseArgv(['--jsn'], TABLE)).toEqual({
      ok: false,
      error: 'unknown option --jsn (did you mean --json?)',
    });
    expect(parseArgv(['--verbose=2'], TABLE)).toEqual({ ok: false, error: 'unknown option --verbose' });
    expect(parseArgv(['-x'], TABLE)).toEqual({ ok: false, error: 'unknown option -x' });
    expect(parseArgv(['--to'], TABLE)).toEqual({ ok: false, error: '--to needs a value (URL)' });
    expect(parseArgv(['--to', '--json'], TABLE)).toEqual({ ok: false, error: '--to needs a value (URL)' });
    expect(parseArgv(['--json=yes'], TABLE)).toEqual({
      ok: false,
      error: '--json takes no value (got "yes")',
    });
    expect(parseArgv(['stray'], TABLE, { positionals: false })).toEqual({
      ok: false,
      error: 'unexpected argument "stray" (this command takes options only)',
    });
  });

  it('does not take prototype names for options', () => {
    expect(parseArgv(['--constructor'], TABLE)).toMatchObject({ ok: false });
    expect(parseArgv(['--__proto__', 'x'], TABLE)).toMatchObject({ ok: false });
  });

  it('generates the help lines from the same table, aligned, hiding options without help', () => {
    expect(optionsHelp(TABLE)).toBe(
      [
        '  --to URL         the CSMS to connect to',
        '  --header "N: V"  extra request header (repeatable)',
        '  --json           print JSON lines',
        '  --filter EXPR    events to keep',
        '  -h, --help       this help',
      ].join('\n'),
    );
    expect(usageLine('send', 'unknown option --x')).toBe(
      'ocpp-scope send: unknown option --x; see `ocpp-scope send --help`.\n',
    );
  });

  it('asks for help only where an option stands: not as a value, not after --', () => {
    expect(asksForHelp(['a.jsonl', '--help'], TABLE)).toBe(true);
    expect(asksForHelp(['-h', '--bogus'], TABLE)).toBe(true);
    // Read as parseArgv reads it: where -h is an option of the command, "--filter -h" is a missing value and help.
    expect(asksForHelp(['--filter', '-h', 'a.jsonl'], TABLE)).toBe(true);
    const noHelp = { password: { type: 'string' }, json: { type: 'boolean' } } as const;
    expect(asksForHelp(['--password', '-h'], noHelp)).toBe(false);
    expect(asksForHelp(['--password', '--help'], noHelp)).toBe(false);
    expect(asksForHelp(['--password', 'x', '-h'], noHelp)).toBe(true);
    expect(asksForHelp(['--filter=-h'], TABLE)).toBe(false);
    expect(asksForHelp(['--', '--help'], TABLE)).toBe(false);
    // A flag takes no value: the word after it is read again.
    expect(asksForHelp(['--json', '-h'], noHelp)).toBe(true);
    // An unknown option is taken for a flag, so the help after it is still seen.
    expect(asksForHelp(['--bogus', '--help'], noHelp)).toBe(true);
  });
});
