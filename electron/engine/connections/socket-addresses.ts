import type { Socket } from 'node:net';

/**
 * Lets go of the addresses Node cached on a socket when they were read (for the handshake record): two objects and
 * two strings per socket, for as long as it lives, where thousands of chargers stay connected for hours. Node reads
 * them again from the socket if anyone asks later (while it is open).
 */
export function forgetSocketAddresses(socket: Socket): void {
  const cached = socket as Socket & { _peername?: unknown; _sockname?: unknown };
  if (cached._peername !== undefined) cached._peername = undefined;
  if (cached._sockname !== undefined) cached._sockname = undefined;
}
