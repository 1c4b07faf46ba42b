import type { IncomingMessage } from 'node:http';
import type { HttpHead, SocketAddress } from '../../../shared/capture/events';

/**
 * The Node side of reading an upgrade: heads from Node's request and response objects, addresses from sockets.
 * Everything read from a head (headers, identity, subprotocols, Basic auth) is in shared/capture/http-upgrade.ts,
 * the one reader for live traffic and pcap alike.
 */

/** Pairs Node's flat rawHeaders list back into [name, value] in wire order and case, duplicates kept. */
export function pairRawHeaders(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/** The request as it crossed the wire: Node keeps method, target and version verbatim, and rawHeaders in order. */
export function requestHead(req: IncomingMessage): HttpHead {
  return {
    startLine: `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`,
    headers: pairRawHeaders(req.rawHeaders),
  };
}

export function socketAddress(
  address: string | undefined,
  port: number | undefined,
): SocketAddress | undefined {
  if (address === undefined || port === undefined) return undefined;
  // IPv4-mapped IPv6 addresses are how dual-stack sockets report IPv4 peers; show them as the IPv4 a user typed.
  const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return { address: plain, port, family: plain.includes(':') ? 'IPv6' : 'IPv4' };
}
