import { headerValue } from '../../../shared/capture/http-upgrade';
import type { HttpHead } from '../types';

/** The GUID RFC 6455 appends to Sec-WebSocket-Key before hashing. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept a correct server must answer for this key (SHA-1, base64), computed in the browser. */
export async function expectedAccept(key: string): Promise<string> {
  const data = new TextEncoder().encode(key.trim() + WS_GUID);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', data));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary);
}

// The one upgrade reader (shared with the engine and the pcap import).
export { headerValue, offeredProtocols } from '../../../shared/capture/http-upgrade';

export type AcceptVerdict = { state: 'ok' | 'mismatch' | 'missing'; expected?: string; actual?: string };

export async function checkAccept(request: HttpHead, response: HttpHead | undefined): Promise<AcceptVerdict> {
  const key = headerValue(request, 'Sec-WebSocket-Key');
  const actual = headerValue(response, 'Sec-WebSocket-Accept');
  if (!key) return { state: 'missing', actual };
  const expected = await expectedAccept(key);
  if (actual === undefined) return { state: 'missing', expected };
  return { state: actual.trim() === expected ? 'ok' : 'mismatch', expected, actual };
}

/** A password shown as dots of the same length until the user asks to see it. */
export function maskSecret(secret: string): string {
  return '•'.repeat(Math.min(Math.max(secret.length, 4), 24));
}
