import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HandshakeRecord } from '../../../shared/capture/events';

/**
 * A charger's upgrade record kept for as long as it is connected (a check run started long after it opened reads
 * what the charger sent: Basic auth, TLS, headers), in a small form. The JSON text of a record is about 750 bytes, a
 * third of what a bare WebSocket server keeps per connection; most of it is the same for every charger (header
 * names, the usual values, the record's own keys). Deflated against a dictionary of exactly those parts, a usual
 * record takes about 100 bytes. Kept as a one-byte string (latin1): a string costs only its header on the heap,
 * where a small Buffer costs two objects and a backing store.
 */

/** Parts of a usual record; any record packs and unpacks exactly, a usual one packs small. Never change it casually:
 * records packed with one dictionary unpack only with the same one (within one process, so a change is safe). */
const DICTIONARY = Buffer.from(
  '"tls":{"protocol":"TLSv1.3","cipher":"TLS_AES_256_GCM_SHA384","servername":"","peerChain":[],"authorized":' +
    '"basicAuth":{"username":"","password":"","passwordHex":"","printable":true},' +
    '["Authorization","Basic "],["User-Agent",""],["Sec-WebSocket-Protocol","ocpp2.0.1"],["Sec-WebSocket-Protocol","ocpp2.1"],' +
    '{"request":{"startLine":"GET /ocpp/ HTTP/1.1","headers":[["Sec-WebSocket-Version","13"],["Sec-WebSocket-Key","=="],' +
    '["Connection","Upgrade"],["Upgrade","websocket"],' +
    '["Sec-WebSocket-Extensions","permessage-deflate; client_max_window_bits"],' +
    '["Sec-WebSocket-Protocol","ocpp1.6"],["Host","127.0.0.1:"]]},"offeredProtocols":["ocpp1.6"],"findings":[],' +
    '"remote":{"address":"127.0.0.1","port":,"family":"IPv4"},"local":{"address":"127.0.0.1","port":,"family":"IPv4"},' +
    '"chosenProtocol":"ocpp1.6","response":{"startLine":"HTTP/1.1 101 Switching Protocols","headers":' +
    '[["Upgrade","websocket"],["Connection","Upgrade"],["Sec-WebSocket-Accept","="],' +
    '["Sec-WebSocket-Protocol","ocpp1.6"]],"status":101}}',
  'latin1',
);

/** A window just over the dictionary: the state zlib allocates for each call stays small. */
const OPTIONS = { dictionary: DICTIONARY, windowBits: 11, memLevel: 2 } as const;

/** The record in its kept form. */
export function packHandshake(record: HandshakeRecord): string {
  return deflateRawSync(JSON.stringify(record), OPTIONS).toString('latin1');
}

/** A fresh copy of the record packHandshake kept. */
export function unpackHandshake(packed: string): HandshakeRecord {
  const text = inflateRawSync(Buffer.from(packed, 'latin1'), OPTIONS).toString('utf8');
  return JSON.parse(text) as HandshakeRecord;
}
