import type WebSocket from 'ws';

/**
 * ws's list of the fragments of the message being read, one per socket (`Receiver._fragments`). ws makes a fresh
 * empty list after each message, and that list lives until the socket's next message: with a thousand chargers one
 * call each, across a whole round of the others. A scavenge that comes soon after another then finds nearly every
 * list made since still alive, and V8 judges ws's allocation site long-lived (allocation-site pretenuring): from then
 * on every list is made in the old generation, and each one, dropped at the next message, keeps the young fragment
 * it held (the frame's bytes, the socket read's buffer) alive through scavenges until the next full collection. Such
 * a process promoted about 1.3 MB a scavenge and spent about 1 µs more a call; about a third to a half of the
 * endpoint's processes fell into it, decided at random early on. Putting a list that lives as long as the socket
 * back in place of the fresh one, right after each message, leaves ws's site with objects that die young.
 */
interface Receiving {
  _receiver?: { _fragments?: unknown };
}

/** The socket's own fragment list (the one ws's receiver started with), or undefined where ws keeps none we know. */
export function fragmentList(ws: WebSocket): unknown[] | undefined {
  const list = (ws as unknown as Receiving)._receiver?._fragments;
  return Array.isArray(list) ? list : undefined;
}

/**
 * Called from a 'message' listener once the message's data was taken (with binaryType 'fragments' the data is the
 * list itself): puts `kept`, emptied, back in place of the empty list ws just made. A list holding fragments (a
 * message still being read) is left alone.
 */
export function keepFragmentList(ws: WebSocket, kept: unknown[]): void {
  // Then the list is the data handed to every listener: it is not ours to empty.
  if (ws.binaryType === 'fragments') return;
  const receiver = (ws as unknown as Receiving)._receiver;
  const current = receiver?._fragments;
  if (current === kept || !Array.isArray(current) || current.length > 0) return;
  // Popped rather than `length = 0`: the length setter is a call into the runtime, about 60 ns a message more.
  while (kept.length > 0) kept.pop();
  receiver!._fragments = kept;
}
