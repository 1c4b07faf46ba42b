import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from '../../../electron/host/cli';
import { testIo } from './commands/cli-test-io';

/** The `--name` options a command's help lists (in its option lines, not in prose). */
function listedOptions(help: string): string[] {
  const names = new Set<string>();
  for (const line of help.split('\n')) {
    if (!/^ {2}(-\w, )?--[a-z]/.test(line)) continue;
    // "  --cert FILE --key FILE   text": every option before the description column.
    const head = line.split(/ {2,}/)[1] ?? '';
    for (const m of head.matchAll(/--([a-z][a-z0-9-]*)/g)) names.add(m[1]!);
  }
  names.delete('help');
  return [...names];
}

/**
 * Options that switch a command into another mode, read before the main parse: they are listed in their own usage
 * line and take the mode's own table. `check --list` and `check --schema` are covered by the check tests.
 */
const MODES: Record<string, { skip: string[]; mode: string[]; modeOptions: string[] }> = {
  check: { skip: ['list', 'schema'], mode: ['--compile', 'x.jsonl'], modeOptions: ['out', 'side', 'name'] },
};

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  const t = testIo();
  const code = await runCli(argv, t.io);
  return { code, err: t.err() };
}

describe('every option a command lists in its help is one it accepts', () => {
  for (const command of Object.keys(COMMANDS)) {
    it(command, async () => {
      const help = await (async () => {
        const t = testIo();
        expect(await runCli([command, '--help'], t.io)).toBe(0);
        return t.out();
      })();
      const listed = listedOptions(help);
      expect(listed.length, `${command} --help lists its options`).toBeGreaterThan(0);
      const modes = MODES[command];
      for (const name of listed) {
        if (modes?.skip.includes(name)) continue;
        const prefix = modes?.modeOptions.includes(name) ? modes.mode : [];
        // `--name=x` then an option no command has: a known option gets past its own word (or says it takes no
        // value) and the parse stops at the bogus one, before the command does anything.
        const r = await run([command, ...prefix, `--${name}=x`, '--zz-not-an-option']);
        expect(r.code, `${command} --${name}: ${r.err}`).toBe(2);
        expect(r.err, `${command} --${name}`).not.toContain(`unknown option --${name}`);
      }
    });
  }
});
