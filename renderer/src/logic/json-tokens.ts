import type { JsonValue } from '../../../shared/ocpp/json';

/**
 * Pretty JSON as coloured tokens, with the values that findings point at (JSON pointers into the payload) marked,
 * so the detail pane can show *where* a payload is wrong, not just that it is.
 */
export type TokenClass = 'key' | 'string' | 'number' | 'bool' | 'null' | 'punct';

export interface JsonToken {
  text: string;
  cls?: TokenClass;
  /** JSON pointer of the value this token belongs to, when that value is flagged by a finding. */
  flagged?: string;
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function jsonTokens(value: JsonValue, flaggedPaths: ReadonlySet<string>, indent = 2): JsonToken[] {
  const out: JsonToken[] = [];
  const emit = (text: string, cls?: TokenClass, flagged?: string): void => {
    out.push(flagged === undefined ? (cls ? { text, cls } : { text }) : { text, cls, flagged });
  };
  const walk = (v: JsonValue, path: string, depth: number): void => {
    const flag = flaggedPaths.has(path) ? path : undefined;
    const pad = ' '.repeat(indent * (depth + 1));
    const closePad = ' '.repeat(indent * depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return emit('[]', 'punct', flag);
      emit('[', 'punct', flag);
      v.forEach((item, i) => {
        emit(`\n${pad}`);
        walk(item, `${path}/${i}`, depth + 1);
        if (i < v.length - 1) emit(',', 'punct');
      });
      emit(`\n${closePad}]`, 'punct', flag);
      return;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return emit('{}', 'punct', flag);
      emit('{', 'punct', flag);
      entries.forEach(([k, item], i) => {
        const childPath = `${path}/${escapePointer(k)}`;
        emit(`\n${pad}`);
        emit(JSON.stringify(k), 'key', flaggedPaths.has(childPath) ? childPath : undefined);
        emit(': ', 'punct');
        walk(item, childPath, depth + 1);
        if (i < entries.length - 1) emit(',', 'punct');
      });
      emit(`\n${closePad}}`, 'punct', flag);
      return;
    }
    if (typeof v === 'string') return emit(JSON.stringify(v), 'string', flag);
    if (typeof v === 'number') return emit(String(v), 'number', flag);
    if (typeof v === 'boolean') return emit(String(v), 'bool', flag);
    return emit('null', 'null', flag);
  };
  walk(value, '', 0);
  return out;
}

/** Where a frame's payload sits in the frame array: CALL and SEND at 3, CALLRESULT at 2, errors' details at 4. */
export function payloadIndex(type: number | undefined): number | undefined {
  switch (type) {
    case 2:
    case 6:
      return 3;
    case 3:
      return 2;
    case 4:
    case 5:
      return 4;
    default:
      return undefined;
  }
}
