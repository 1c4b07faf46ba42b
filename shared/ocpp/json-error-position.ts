/**
 * Where a JSON text stops being JSON. Engines word (and sometimes omit) the position in JSON.parse errors
 * differently, so on the failure path we scan the text ourselves. Iterative (no recursion), so a hostile
 * "[[[[..." cannot overflow the stack. Returns the offset of the first offending character (text.length when the
 * text ends too early), or -1 when the scanner finds the text valid.
 */
export function jsonErrorPosition(text: string): number {
  const n = text.length;
  let i = 0;
  // Stack of open containers: '[' or '{'.
  const stack: string[] = [];
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  // Returns -1 when a string was read, else the error offset.
  const str = (): number => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return -1;
      }
      if (c < 0x20) return i;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return n;
        if ('"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            const h = text[i + k];
            if (h === undefined) return n;
            if (!/[0-9a-fA-F]/.test(h)) return i + k;
          }
          i += 6;
        } else return i + 1;
      } else i++;
    }
    return n;
  };
  const num = (): number => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] !== undefined && text[i]! >= '1' && text[i]! <= '9') {
      while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    } else return i < n ? i : n;
    if (text[i] === '.') {
      i++;
      if (!(i < n && text[i]! >= '0' && text[i]! <= '9')) return i < n ? i : n;
      while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(i < n && text[i]! >= '0' && text[i]! <= '9')) return i < n ? i : n;
      while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    }
    return -1;
  };
  const word = (w: string): number => {
    for (let k = 0; k < w.length; k++) {
      if (i + k >= n) return n;
      if (text[i + k] !== w[k]) return i + k;
    }
    i += w.length;
    return -1;
  };
  // Reads one scalar or opens a container; -1 on success.
  const value = (): number => {
    ws();
    if (i >= n) return n;
    const c = text[i]!;
    if (c === '{') {
      stack.push('{');
      i++;
      ws();
      if (text[i] === '}') {
        stack.pop();
        i++;
        return -1;
      }
      return key();
    }
    if (c === '[') {
      stack.push('[');
      i++;
      ws();
      if (text[i] === ']') {
        stack.pop();
        i++;
        return -1;
      }
      return OPEN;
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    return i;
  };
  const key = (): number => {
    ws();
    if (text[i] !== '"') return i < n ? i : n;
    const e = str();
    if (e >= 0) return e;
    ws();
    if (text[i] !== ':') return i < n ? i : n;
    i++;
    return OPEN;
  };
  // Marker: a container was opened and wants its first value.
  const OPEN = -2;

  let r = value();
  for (;;) {
    if (r === OPEN) {
      r = value();
      continue;
    }
    if (r >= 0) return r;
    // A value finished: close containers or move to the next element.
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return i < n ? i : -1;
    }
    if (i >= n) return n;
    const c = text[i];
    if (c === ',') {
      i++;
      r = top === '{' ? key() : value();
      continue;
    }
    if ((top === '[' && c === ']') || (top === '{' && c === '}')) {
      stack.pop();
      i++;
      r = -1;
      continue;
    }
    return i;
  }
}
