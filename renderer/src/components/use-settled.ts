import { useEffect, useState } from 'react';
import { Settler } from '../logic/settler';

/** How long a typed value must stay as it is before what it names is checked (a file read, an engine call). */
export const SETTLE_MS = 300;

/** `value` once it has stayed the same for `ms` (see Settler); the first value at once. */
export function useSettled<T>(value: T, ms = SETTLE_MS): T {
  const [settled, setSettled] = useState(value);
  const [settler] = useState(() => new Settler<T>(ms, setSettled));
  useEffect(() => {
    if (Object.is(value, settled)) settler.cancel();
    else settler.change(value);
  }, [settler, value, settled]);
  useEffect(() => () => settler.cancel(), [settler]);
  return settled;
}
