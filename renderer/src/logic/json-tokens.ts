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

/** Deeper containers are shown folded: pretty-printing 10^5 levels would indent quadratically (gigabytes of text). */
export const MAX_VIEW_DEPTH = 64;

type Task =
  { text: string; cls?: TokenClass; flagged?: string } | { value: JsonValue; path: string; depth: number };

export function jsonTokens(
  value: JsonValue,
  flaggedPaths: ReadonlySet<string>,
  indent = 2,
  maxDepth = MAX_VIEW_DEPTH,
): JsonToken[] {
  const out: JsonToken[] = [];
  const emit = (text: string, cls?: TokenClass, flagged?: string): void => {
    out.push(flagged === undefined ? (cls ? { text, cls } : { text }) : { text, cls, flagged });
  };
  // An explicit stack (pushed last-first) instead of recursion: any depth JSON.parse accepts is shown, none throws.
  const stack: Task[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('text' in task) {
      emit(task.text, task.cls, task.flagged);
      continue;
    }
    const { value: v, path, depth } = task;
    const flag = flaggedPaths.has(path) ? path : undefined;
    const pad = ' '.repeat(indent * (depth + 1));
    const closePad = ' '.repeat(indent * depth);
    const next: Task[] = [];
    if (Array.isArray(v)) {
      if (v.length === 0) emit('[]', 'punct', flag);
      else if (depth >= maxDepth)
        emit(`[ … nested deeper than ${maxDepth} levels: see the raw text ]`, 'punct', flag);
      else {
        emit('[', 'punct', flag);
        v.forEach((item, i) => {
          next.push({ text: `\n${pad}` }, { value: item, path: `${path}/${i}`, depth: depth + 1 });
          if (i < v.length - 1) next.push({ text: ',', cls: 'punct' });
        });
        next.push({ text: `\n${closePad}]`, cls: 'punct', flagged: flag });
      }
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) emit('{}', 'punct', flag);
      else if (depth >= maxDepth)
        emit(`{ … nested deeper than ${maxDepth} levels: see the raw text }`, 'punct', flag);
      else {
        emit('{', 'punct', flag);
        entries.forEach(([k, item], i) => {
          const childPath = `${path}/${escapePointer(k)}`;
          next.push(
            { text: `\n${pad}` },
            {
              text: JSON.stringify(k),
              cls: 'key',
              flagged: flaggedPaths.has(childPath) ? childPath : undefined,
            },
            { text: ': ', cls: 'punct' },
            { value: item, path: childPath, depth: depth + 1 },
          );
          if (i < entries.length - 1) next.push({ text: ',', cls: 'punct' });
        });
        next.push({ text: `\n${closePad}}`, cls: 'punct', flagged: flag });
      }
    } else if (typeof v === 'string') emit(JSON.stringify(v), 'string', flag);
    else if (typeof v === 'number') emit(String(v), 'number', flag);
    else if (typeof v === 'boolean') emit(String(v), 'bool', flag);
    else emit('null', 'null', flag);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
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
