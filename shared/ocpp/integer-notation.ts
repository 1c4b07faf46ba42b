import { NO_FINDINGS } from './finding';
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

/**
 * What namedFraction searches for: each quoted name's tail from its last capital letter (`Id"` for `"connectorId"`
 * and `"transactionId"`), the names sharing a tail searched in one pass. A tail that starts with a capital is rare
 * in a payload (indexOf stops at each occurrence of a pattern's first character: `connectorId"` made it stop at
 * every `c` of a MeterValues, ~0.3 µs a name, `Id"` ~0.07 µs for both). Names without a capital are searched whole.
 */
interface NameSearch {
  tail: string;
  /** The quoted names (JSON.stringify) that end with tail. */
  quoted: string[];
}

const searchesOf = new WeakMap<Schema, readonly NameSearch[] | null>();

function searchesFor(quotedNames: readonly string[]): NameSearch[] {
  const byTail = new Map<string, string[]>();
  for (const quoted of quotedNames) {
    let cut = 1;
    for (let i = quoted.length - 2; i > 1; i--) {
      const c = quoted.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) {
        // A tail of at least 3 characters: a shorter one would stop too often to pay.
        if (quoted.length - i >= 3) cut = i;
        break;
      }
    }
    const tail = quoted.slice(cut);
    const group = byTail.get(tail);
    if (group) group.push(quoted);
    else byTail.set(tail, [quoted]);
  }
  return [...byTail].map(([tail, quoted]) => ({ tail, quoted }));
}

/**
 * The searches for the properties a schema types as integer, anywhere in it; undefined when an integer can also sit
 * where no name precedes it (an array of integers), or at the top. Cached per schema.
 */
function integerNameSearches(schema: Schema): readonly NameSearch[] | undefined {
  let searches = searchesOf.get(schema);
  if (searches === undefined) {
    const found = new Set<string>();
    let unnamed = false;
    const isInteger = (t: unknown): boolean => t === 'integer' || (Array.isArray(t) && t.includes('integer'));
    const walk = (node: unknown, name: string | undefined, depth: number): void => {
      if (!node || typeof node !== 'object' || depth > 64) return;
      const n = node as Schema;
      if (isInteger(n.type)) {
        if (name === undefined) unnamed = true;
        else found.add(name);
      }
      if (n.properties && typeof n.properties === 'object')
        for (const [k, v] of Object.entries(n.properties)) walk(v, k, depth + 1);
      if (n.items) walk(n.items, undefined, depth + 1);
      if (n.definitions && typeof n.definitions === 'object')
        for (const v of Object.values(n.definitions)) walk(v, name, depth + 1);
      // A $ref node takes the name of the property it stands for: its target is walked as a definition, unnamed.
      if (typeof n.$ref === 'string' && name === undefined) unnamed = unnamed || refToInteger(schema, n);
    };
    walk(schema, undefined, 0);
    searches = unnamed ? null : searchesFor([...found].map((k) => JSON.stringify(k)));
    searchesOf.set(schema, searches);
  }
  return searches ?? undefined;
}

function refToInteger(root: Schema, node: Schema): boolean {
  const t = resolve(root, node)?.type;
  return t === 'integer' || (Array.isArray(t) && t.includes('integer'));
}

/**
 * True when one of these quoted property names is followed by a number written with a fraction or exponent. A false
 * hit (the name as a string value) only costs the exact pass.
 */
function namedFraction(text: string, searches: readonly NameSearch[]): boolean {
  for (const { tail, quoted } of searches) {
    for (let at = text.indexOf(tail, 1); at >= 0; at = text.indexOf(tail, at + tail.length)) {
      const end = at + tail.length;
      if (!quoted.some((q) => end - q.length >= 0 && text.startsWith(q, end - q.length))) continue;
      let i = end;
      while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
      if (text.charCodeAt(i) !== 0x3a) continue;
      i++;
      while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
      if (text.charCodeAt(i) === 0x2d) i++;
      while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const c = text.charCodeAt(i);
      if (c === 0x2e || c === 0x65 || c === 0x45) return true;
    }
  }
  return false;
}

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
): readonly Finding[] {
  if (version !== '1.6') return NO_FINDINGS;
  const schema = rawPayloadSchema(version, action, kind) as Schema | undefined;
  if (!schema) return NO_FINDINGS;
  const names = integerNameSearches(schema);
  if (names === undefined ? !mayHaveFraction(text) : !namedFraction(text, names)) return NO_FINDINGS;
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
