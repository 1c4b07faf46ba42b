import type { Finding } from './finding';
import { rawPayloadSchema } from './payload-schema';
import type { PayloadKind } from './payload-schema';
import type { OcppVersion } from './versions';

/**
 * OCPP 1.6's schemas are JSON Schema draft-04, where strict validators take an `integer` only when it is written
 * without a fraction or an exponent: `"meterStart": 1.0` or `1e3` is refused with TypeConstraintViolation. JSON.parse
 * makes both the number 1 or 1000, so this reads the frame's text: a cheap regular expression first (most frames have
 * no such number), then one linear pass that finds each such number's JSON pointer, then the schema's type there.
 */

/**
 * True when the text may hold a number written with a fraction or exponent: outside strings, a `.`, `e` or `E`
 * right after a digit (digits outside strings only occur in numbers). Strings are skipped with indexOf, so the
 * strings of a payload (a timestamp's `:00.000`, in nearly every one) cost next to nothing.
 */
function mayHaveFraction(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = text.indexOf('"', i + 1);
      while (j > 0 && escaped(text, j)) j = text.indexOf('"', j + 1);
      if (j < 0) return false;
      i = j;
    } else if ((c === 0x2e || c === 0x65 || c === 0x45) && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0x30 && p <= 0x39) return true;
    }
  }
  return false;
}

/** True when the quote at `j` is escaped (an odd run of backslashes before it). */
function escaped(text: string, j: number): boolean {
  let k = j - 1;
  while (k >= 0 && text.charCodeAt(k) === 0x5c) k--;
  return (j - 1 - k) % 2 === 1;
}

type Level = { arr: true; index: number } | { arr: false; key: string };

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointers (into the whole frame) of numbers written with a fraction or exponent. Iterative: any depth. */
export function fractionalNumbers(text: string): { pointer: string; raw: string }[] {
  const out: { pointer: string; raw: string }[] = [];
  const stack: Level[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && !top.arr && expectKey) {
        try {
          top.key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          top.key = text.slice(i + 1, j);
        }
      }
      i = j;
    } else if (c === 0x7b) {
      stack.push({ arr: false, key: '' });
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push({ arr: true, index: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.arr) top.index++;
      else expectKey = true;
    } else if (c === 0x3a) {
      expectKey = false;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const raw = text.slice(i, j);
      if (/[.eE]/.test(raw)) {
        const pointer = stack.map((l) => `/${l.arr ? l.index : escape(l.key)}`).join('');
        out.push({ pointer, raw });
      }
      i = j - 1;
    }
  }
  return out;
}

type Schema = Record<string, unknown>;

function resolve(root: Schema, node: Schema | undefined): Schema | undefined {
  for (let hops = 0; node && typeof node.$ref === 'string' && hops < 16; hops++) {
    const ref = node.$ref;
    const hash = ref.indexOf('#/');
    if (hash < 0) return undefined;
    let target: unknown = root;
    for (const seg of ref.slice(hash + 2).split('/')) target = (target as Schema | undefined)?.[seg];
    node = target as Schema | undefined;
  }
  return node;
}

/** The schema's `type` at a pointer into the payload, following properties, items and local $refs. */
function typeAt(root: Schema, pointer: string): unknown {
  let node: Schema | undefined = resolve(root, root);
  for (const seg of pointer.split('/').slice(1)) {
    if (!node) return undefined;
    const items = node.items;
    if (items && typeof items === 'object' && !Array.isArray(items) && /^\d+$/.test(seg))
      node = items as Schema;
    else {
      const props = node.properties as Record<string, Schema> | undefined;
      const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      node = props && Object.hasOwn(props, key) ? props[key] : undefined;
    }
    node = resolve(root, node);
  }
  return node?.type;
}

/** Findings for integers written as 1.0 or 1e3 in a 1.6 payload; `payloadIndex` is where the payload sits. */
export function integerNotationFindings(
  version: OcppVersion | undefined,
  action: string,
  kind: PayloadKind,
  text: string,
): Finding[] {
  if (version !== '1.6' || !mayHaveFraction(text)) return [];
  const schema = rawPayloadSchema(version, action, kind) as Schema | undefined;
  if (!schema) return [];
  const prefix = kind === 'request' ? '/3' : '/2';
  const out: Finding[] = [];
  for (const { pointer, raw } of fractionalNumbers(text)) {
    if (!pointer.startsWith(`${prefix}/`)) continue;
    const path = pointer.slice(prefix.length);
    const type = typeAt(schema, path);
    if (type !== 'integer' && !(Array.isArray(type) && type.includes('integer'))) continue;
    out.push({
      code: 'schema-integer-notation',
      severity: 'error',
      message: `${path.slice(1)} is written ${raw}: OCPP 1.6 schemas (JSON Schema draft-04) take an integer only without a fraction or exponent, so a strict peer refuses it`,
      path,
      errorCode: 'TypeConstraintViolation',
    });
  }
  return out;
}
