/**
 * Recognising a TLS ClientHello where an HTTP request was expected (a charger dialling wss:// at a plain ws://
 * endpoint), and reading the host it asked for (SNI) so the failed attempt can be named. Pure; never throws: bytes
 * that are not a ClientHello, or one cut short, give `undefined` or a hello without a name.
 */

export interface ClientHello {
  /** The server_name extension's host name, when present and complete. */
  serverName?: string;
}

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME = 0x0000;

export function readClientHello(bytes: Uint8Array): ClientHello | undefined {
  // Record header: type 22, version 3.x, length; then the handshake header: type 1, 24-bit length.
  if (bytes.length < 6 || bytes[0] !== HANDSHAKE || bytes[1] !== 3 || bytes[5] !== CLIENT_HELLO)
    return undefined;
  const at = (i: number): number | undefined => (i < bytes.length ? bytes[i] : undefined);
  const u16 = (i: number): number | undefined => {
    const a = at(i);
    const b = at(i + 1);
    return a === undefined || b === undefined ? undefined : (a << 8) | b;
  };
  // Skip: record header (5), handshake header (4), client version (2), random (32).
  let p = 5 + 4 + 2 + 32;
  const session = at(p);
  if (session === undefined) return {};
  p += 1 + session;
  const suites = u16(p);
  if (suites === undefined) return {};
  p += 2 + suites;
  const compressions = at(p);
  if (compressions === undefined) return {};
  p += 1 + compressions;
  const extensionsLength = u16(p);
  if (extensionsLength === undefined) return {};
  p += 2;
  const end = Math.min(bytes.length, p + extensionsLength);
  while (p + 4 <= end) {
    const type = u16(p)!;
    const length = u16(p + 2)!;
    const body = p + 4;
    if (type === SERVER_NAME) return { ...serverName(bytes, body, Math.min(end, body + length)) };
    p = body + length;
  }
  return {};
}

/** server_name: a list (2-byte length) of entries; type 0 is a host name (2-byte length, ASCII). */
function serverName(bytes: Uint8Array, start: number, end: number): ClientHello {
  let p = start + 2;
  while (p + 3 <= end) {
    const type = bytes[p]!;
    const length = (bytes[p + 1]! << 8) | bytes[p + 2]!;
    const from = p + 3;
    if (from + length > end) return {};
    if (type === 0) {
      let name = '';
      for (let i = from; i < from + length; i++) {
        const c = bytes[i]!;
        // A host name is printable ASCII; anything else is not a name we show.
        if (c < 0x21 || c > 0x7e) return {};
        name += String.fromCharCode(c);
      }
      return name ? { serverName: name } : {};
    }
    p = from + length;
  }
  return {};
}
