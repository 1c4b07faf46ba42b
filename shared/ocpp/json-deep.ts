/**
 * JSON at any depth. JSON.parse accepts arrays nested hundreds of thousands deep (a few KB of brackets), but
 * JSON.stringify and every naive recursive walk overflow the stack on them. Code that walks frame JSON uses these
 * instead of recursion, so a hostile frame costs time proportional to its size and never throws.
 */

/** Nesting depth of a JSON text (brackets outside strings), without parsing it: a cheap guard before a walk. */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

type Frame =
  | { kind: 'array'; items: readonly unknown[]; i: number }
  | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; i: number; wrote: boolean };

function primitive(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** Compact JSON text of a JSON value, like JSON.stringify(value) (undefined members dropped), at any depth. */
export function stringifyJson(value: unknown): string {
  try {
    // The native one is much faster and right for every value that is not absurdly deep.
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (v: unknown, inArray: boolean): void => {
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ kind: 'array', items: v, i: 0 });
    } else if (v !== null && typeof v === 'object') {
      out.push('{');
      const obj = v as Record<string, unknown>;
      stack.push({ kind: 'object', obj, keys: Object.keys(obj), i: 0, wrote: false });
    } else {
      out.push(primitive(v) ?? (inArray ? 'null' : ''));
    }
  };
  open(value, true);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'array') {
      if (top.i >= top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      open(top.items[top.i++], true);
    } else {
      if (top.i >= top.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const k = top.keys[top.i++]!;
      const v = top.obj[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (top.wrote) out.push(',');
      top.wrote = true;
      out.push(JSON.stringify(k), ':');
      open(v, false);
    }
  }
  return out.join('');
}

type Container = unknown[] | Record<string, unknown>;

/**
 * Copies a JSON value, giving each leaf (anything not an array or object) to `leaf` with the name of the nearest
 * object member above it (array items inherit their array's name). Iterative: any depth.
 */
export function mapJsonLeaves(
  value: unknown,
  leaf: (v: unknown, key: string | undefined) => unknown,
): unknown {
  const copyOf = (v: unknown): Container | undefined =>
    Array.isArray(v) ? [] : v !== null && typeof v === 'object' ? {} : undefined;
  const root = copyOf(value);
  if (root === undefined) return leaf(value, undefined);
  const stack: { src: Container; dst: Container; key: string | undefined }[] = [
    { src: value as Container, dst: root, key: undefined },
  ];
  while (stack.length > 0) {
    const { src, dst, key } = stack.pop()!;
    if (Array.isArray(src)) {
      const out = dst as unknown[];
      for (let i = 0; i < src.length; i++) {
        const c = copyOf(src[i]);
        if (c === undefined) out.push(leaf(src[i], key));
        else {
          out.push(c);
          stack.push({ src: src[i] as Container, dst: c, key });
        }
      }
    } else {
      const out = dst as Record<string, unknown>;
      for (const k of Object.keys(src)) {
        const v = src[k];
        const c = copyOf(v);
        if (c === undefined) out[k] = leaf(v, k);
        else {
          out[k] = c;
          stack.push({ src: v as Container, dst: c, key: k });
        }
      }
    }
  }
  return root;
}

export const DEEPER = '…(nested deeper)';

/** A copy of a JSON value cut at maxDepth (deeper containers become a marker string): safe to show, clone or store. */
export function boundedJson(value: unknown, maxDepth = 32): unknown {
  if (value === null || typeof value !== 'object') return value;
  const root: Container = Array.isArray(value) ? [] : {};
  const stack: { src: Container; dst: Container; depth: number }[] = [
    { src: value as Container, dst: root, depth: 1 },
  ];
  while (stack.length > 0) {
    const { src, dst, depth } = stack.pop()!;
    const put = (k: string | number, v: unknown): void => {
      let out: unknown = v;
      if (v !== null && typeof v === 'object') {
        if (depth >= maxDepth) out = DEEPER;
        else {
          const c: Container = Array.isArray(v) ? [] : {};
          stack.push({ src: v as Container, dst: c, depth: depth + 1 });
          out = c;
        }
      }
      if (Array.isArray(dst)) dst.push(out);
      else dst[k as string] = out;
    };
    if (Array.isArray(src)) src.forEach((v, i) => put(i, v));
    else for (const k of Object.keys(src)) put(k, src[k]);
  }
  return root;
}

/**
 * True when `value` is exactly what JSON.parse(JSON.stringify(value)) gives back: only null, booleans, strings,
 * finite numbers (not -0), arrays and plain objects without undefined, function or symbol members, at most `maxDepth` deep.
 * A frame built from such a value need not be parsed again to know its payload.
 */
export function isPlainJson(value: unknown, maxDepth = 64): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (maxDepth <= 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], maxDepth - 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) return false;
    if (!isPlainJson((value as Record<string, unknown>)[k], maxDepth - 1)) return false;
  }
  return true;
}
