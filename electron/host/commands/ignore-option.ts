import type { IgnoreRules } from '../../../shared/capture/ignore-rules';
import {
  DEFAULT_IGNORE_RULES,
  parseIgnoreRules,
  splitIgnoreText,
} from '../../../shared/capture/ignore-rules';

/** `--ignore LIST` (repeatable, comma-separated) and `--no-default-ignore`, shared by `replay` and `diff`. */
export function ignoreOption(values: readonly string[], withDefaults: boolean): IgnoreRules | string {
  const extra = values.flatMap(splitIgnoreText);
  const r = parseIgnoreRules([...(withDefaults ? DEFAULT_IGNORE_RULES : []), ...extra]);
  return r.ok ? r.rules : `--ignore: ${r.error}`;
}

/** The help text of `--ignore`, the same in `replay` and `diff`. */
export const IGNORE_HELP =
  'also compare these by kind only: field names or JSON pointers into the payload\n(/meterValue/*/timestamp), comma-separated';
