import { closeSync, openSync, writeSync } from 'node:fs';
import { syntheticPcapParts, wsFrame } from '../pcap/synthetic-pcap';
import type { Sent } from '../pcap/synthetic-pcap';

/**
 * Test and bench helper: pcap and HAR files of any size written piece by piece (never whole in memory), holding a
 * charger's small calls and the CSMS's answers (Heartbeat, StatusNotification), each answer pairing with its call.
 */

const enc = new TextEncoder();

/** The text of message i: even ones are the station's calls, odd ones the CSMS's answers to the call before. */
export function bigMessage(i: number): string {
  const id = `m${i >> 1}`;
  if (i % 2 === 1) return `[3,"${id}",{"currentTime":"2025-01-01T00:00:00.000Z"}]`;
  return (i >> 1) % 4 === 0
    ? `[2,"${id}","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}]`
    : `[2,"${id}","Heartbeat",{}]`;
}

/** Writes pieces to a file in large writes. */
function writePieces(path: string, pieces: Iterable<Uint8Array>): number {
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  let total = 0;
  const drain = (): void => {
    let off = 0;
    while (off < used) off += writeSync(fd, buf, off, used - off);
    used = 0;
  };
  try {
    for (const p of pieces) {
      total += p.length;
      if (p.length > buf.length) {
        drain();
        writeSync(fd, p);
        continue;
      }
      if (used + p.length > buf.length) drain();
      buf.set(p, used);
      used += p.length;
    }
    drain();
  } finally {
    closeSync(fd);
  }
  return total;
}

/** A pcap of one WebSocket connection carrying `messages` small frames, each in its own TCP segment; its size. */
export function writeBigPcap(path: string, messages: number): number {
  function* sent(): Generator<Sent> {
    for (let i = 0; i < messages; i++) {
      const fromClient = i % 2 === 0;
      yield { fromClient, bytes: wsFrame(enc.encode(bigMessage(i)), { masked: fromClient }) };
    }
  }
  return writePieces(path, syntheticPcapParts(sent(), Number.POSITIVE_INFINITY));
}

/** A Chrome-style HAR of `connections` WebSocket entries of `perConnection` messages each; its size. */
export function writeBigHar(path: string, connections: number, perConnection: number): number {
  function* pieces(): Generator<Uint8Array> {
    yield enc.encode('{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[\n');
    const t0 = 1_700_000_000;
    for (let c = 0; c < connections; c++) {
      const url = `ws://127.0.0.1:9000/ocpp/CP-${c + 1}`;
      yield enc.encode(
        `${c > 0 ? ',' : ''}{"_resourceType":"websocket","startedDateTime":"${new Date((t0 + c) * 1000).toISOString()}",` +
          `"request":{"method":"GET","url":"${url}","httpVersion":"HTTP/1.1","headers":[{"name":"Sec-WebSocket-Protocol","value":"ocpp1.6"}]},` +
          `"response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","headers":[{"name":"Sec-WebSocket-Protocol","value":"ocpp1.6"}]},` +
          '"_webSocketMessages":[',
      );
      const lines: string[] = [];
      for (let i = 0; i < perConnection; i++) {
        const type = i % 2 === 0 ? 'send' : 'receive';
        const time = t0 + c + i / 1000;
        lines.push(
          `${i > 0 ? ',' : ''}{"type":"${type}","time":${time},"opcode":1,"data":${JSON.stringify(bigMessage(i))}}`,
        );
        if (lines.length === 1000) {
          yield enc.encode(lines.join(''));
          lines.length = 0;
        }
      }
      yield enc.encode(lines.join('') + ']}\n');
    }
    yield enc.encode(']}}\n');
  }
  return writePieces(path, pieces());
}
