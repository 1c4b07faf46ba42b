// How long this thread has waited for a CPU (runnable, not running), ms: field 2 of Linux's
// /proc/thread-self/schedstat; 0 where the system does not tell. For the peers in processes of their own that the
// RTT tests compare the tool with: a peer woken late is wall time neither side spent.
import { openSync, readSync } from 'node:fs';

let stat;
try {
  stat = openSync('/proc/thread-self/schedstat', 'r');
} catch {
  stat = undefined;
}
const buf = Buffer.alloc(128);

export function waitedMs() {
  if (stat === undefined) return 0;
  const n = readSync(stat, buf, 0, buf.length, 0);
  return Number(buf.toString('latin1', 0, n).split(' ')[1]) / 1e6;
}
