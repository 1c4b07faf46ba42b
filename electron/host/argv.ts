import { UsageError } from './cli-util';

/**
 * The one argv parser of every `ocpp-scope` command: a declarative table per command (the same shape as
 * node:util parseArgs' options, plus the help text), read the same way everywhere:
 * - `--name value`, `--name=value`, `-n value`; a flag takes no value (`--json=yes` is an error);
 * - `multiple: true` collects every occurrence in order; otherwise the last one wins;
 * - `--` ends the options: everything after it is an operand, even when it starts with `-`;
 * - `-` alone is an operand (stdin or stdout, for the commands that read or write files);
 * - an unknown option, a missing value or an operand where none is taken is a precise sentence, never a throw;
 *   the caller prints it with `see ocpp-scope CMD --help` and exits 2 (EXIT.usage).
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** One letter: `-x`. */
  short?: string;
  /** What the value is, for the help text and the error when it is missing: FILE, URL, N... */
  value?: string;
  /** One line for the generated help; an option without one is accepted but not listed. */
  help?: string;
}

export type OptionTable = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? S['multiple'] extends true
    ? boolean[]
    : boolean
  : S['multiple'] extends true
    ? string[]
    : string;

export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> };

export type ParsedArgv<T extends OptionTable> =
  { ok: true; values: OptionValues<T>; positionals: string[] } | { ok: false; error: string };

export interface ParseRules {
  /** Whether operands (files, URLs, frames) are taken; default true. */
  positionals?: boolean;
}

/** The closest option name to a mistyped one (a prefix, or one edit away), for "did you mean". */
function closest(name: string, table: OptionTable): string | undefined {
  const names = Object.keys(table);
  const prefix = names.filter((n) => n.startsWith(name) || name.startsWith(n));
  if (prefix.length === 1) return prefix[0];
  return names.find((n) => oneEditApart(n, name));
}

/** One letter changed, added or dropped. */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, skip: number) => x.slice(i + skip);
  return rest(a, 1) === rest(b, 1) || rest(a, 1) === rest(b, 0) || rest(a, 0) === rest(b, 1);
}

function unknown(arg: string, table: OptionTable): string {
  const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
  const near = name.length > 1 ? closest(name, table) : undefined;
  return `unknown option ${arg.split('=')[0]}${near ? ` (did you mean --${near}?)` : ''}`;
}

function isOption(word: string, table: OptionTable, byShort: Map<string, string>): boolean {
  if (word === '--') return true;
  if (word.startsWith('--')) return Object.hasOwn(table, word.slice(2).split('=')[0]!);
  return word.length === 2 && word.startsWith('-') && byShort.has(word[1]!);
}

/** Parses `argv` against `table`; never throws. */
export function parseArgv<const T extends OptionTable>(
  argv: readonly string[],
  table: T,
  rules: ParseRules = {},
): ParsedArgv<T> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(table).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  const set = (name: string, spec: OptionSpec, value: string | boolean): void => {
    if (spec.multiple) ((values[name] as unknown[] | undefined) ?? (values[name] = [])).push(value);
    else values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-') || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const key = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const name = long ? key : byShort.get(key);
    const spec = name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
    if (name === undefined || !spec) return { ok: false, error: unknown(arg, table) };
    const shown = long ? `--${name}` : arg;
    if (spec.type === 'boolean') {
      if (eq >= 0) return { ok: false, error: `${shown} takes no value (got "${arg.slice(eq + 1)}")` };
      set(name, spec, true);
      continue;
    }
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (eq < 0) {
      // The next word is the value unless it is one of this command's options: `--to --json` is a missing URL,
      // while `--filter -cp:CP9` (NOT in the filter language), `-` and `-5` are values.
      if (value !== undefined && isOption(value, table, byShort)) value = undefined;
      else i++;
    }
    if (value === undefined) return { ok: false, error: `${shown} needs a value (${spec.value ?? 'TEXT'})` };
    set(name, spec, value);
  }
  if (rules.positionals === false && positionals.length > 0)
    return { ok: false, error: `unexpected argument "${positionals[0]}" (this command takes options only)` };
  return { ok: true, values: values as OptionValues<T>, positionals };
}

/**
 * Whether the command line asks for help: `--help` or `-h` where an option stands, not as the value of a string
 * option (`--password -h` is a password where -h is not an option of the command) and not after `--`. Read before the full parse, so that a command line with
 * a mistake elsewhere still gets its help.
 */
export function asksForHelp(argv: readonly string[], table: OptionTable): boolean {
  const byShort = new Map(
    Object.entries(table).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
    if (!arg.startsWith('-') || arg === '-' || arg.includes('=')) continue;
    const name = arg.startsWith('--') ? arg.slice(2) : byShort.get(arg.slice(1));
    const spec = name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
    // The value of a string option is skipped as parseArgv takes it: unless it is one of this command's options.
    const next = argv[i + 1];
    if (spec?.type === 'string' && next !== undefined && !isOption(next, table, byShort)) i++;
  }
  return false;
}

/** The help lines of a table: `  -h, --name VALUE   text`, aligned, in table order. */
export function optionsHelp(table: OptionTable): string {
  const rows = Object.entries(table)
    .filter(([, spec]) => spec.help !== undefined)
    .map(([name, spec]) => {
      const head = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'TEXT'}` : ''}`;
      const repeat = spec.multiple ? ' (repeatable)' : '';
      return [head, `${spec.help!}${repeat}`] as const;
    });
  const width = Math.max(0, ...rows.map(([head]) => head.length));
  // A help text may run over several lines: the next ones line up under the first.
  const indent = `\n${' '.repeat(width + 4)}`;
  return rows.map(([head, text]) => `  ${head.padEnd(width)}  ${text.split('\n').join(indent)}`).join('\n');
}

/** The one sentence of a wrong command line, with the pointer to the command's help. */
export function usageLine(command: string, problem: string): string {
  return `ocpp-scope ${command}: ${problem}; see \`ocpp-scope ${command} --help\`.\n`;
}

/** parseArgv for code that reports problems by throwing: a wrong command line is a UsageError with the sentence. */
export function parseArgvOrThrow<const T extends OptionTable>(
  argv: readonly string[],
  table: T,
  rules: ParseRules = {},
): { values: OptionValues<T>; positionals: string[] } {
  const parsed = parseArgv(argv, table, rules);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed;
}
