import type { JsonValue } from './json';

/**
 * JSON Pointer (RFC 6901) over parsed payloads: building one segment by segment (the replay diff reports paths this
 * way) and reading the value a pointer names (the scenario matchers). Pure; a bad pointer is a result, never a throw.
 */

/** Appends one reference token to `path`, escaping `~` and `/`. */
export function appendPointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The reference tokens of a pointer ('' is the whole document), or the reason it is not a pointer. */
export function parsePointer(pointer: string): { ok: true; tokens: string[] } | { ok: false; error: string } {
  if (pointer === '') return { ok: true, tokens: [] };
  if (!pointer.startsWith('/'))
    return { ok: false, error: `"${pointer}" is not a JSON pointer: it must be empty or start with "/"` };
  const tokens = pointer.slice(1).split('/');
  for (const t of tokens) {
    if (/~[^01]|~$/.test(t))
      return {
        ok: false,
        error: `"${pointer}" has a "~" not followed by 0 or 1 (write ~0 for "~", ~1 for "/")`,
      };
  }
  return { ok: true, tokens: tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')) };
}

/** The value at `pointer` in `doc`: found (maybe null) or not there. An invalid pointer finds nothing. */
export function resolvePointer(
  doc: unknown,
  pointer: string,
): { found: true; value: JsonValue } | { found: false } {
  const parsed = parsePointer(pointer);
  if (!parsed.ok) return { found: false };
  let at: unknown = doc;
  for (const token of parsed.tokens) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return { found: false };
      const i = Number(token);
      if (i >= at.length) return { found: false };
      at = at[i];
    } else if (at !== null && typeof at === 'object') {
      if (!Object.hasOwn(at, token)) return { found: false };
      at = (at as Record<string, unknown>)[token];
    } else return { found: false };
  }
  return at === undefined ? { found: false } : { found: true, value: at as JsonValue };
}
