import { hostname, networkInterfaces } from 'node:os';

export interface LocalAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  internal: boolean;
}

/** Every address of this machine, IPv4 first, external before loopback; link-local IPv6 left out (needs a zone). */
export function localAddresses(): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const family = a.family === 'IPv6' ? 'IPv6' : 'IPv4';
      if (family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')) continue;
      out.push({ address: a.address, family, internal: a.internal });
    }
  }
  const rank = (a: LocalAddress): number => (a.family === 'IPv4' ? 0 : 2) + (a.internal ? 1 : 0);
  return out.sort((x, y) => rank(x) - rank(y));
}

export function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The URLs a charger can be configured with: one per address the listening socket is reachable on. */
export function endpointUrls(host: string, port: number, secure: boolean): string[] {
  const scheme = secure ? 'wss' : 'ws';
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const addresses = wildcard
    ? localAddresses()
        .filter((a) => host !== '0.0.0.0' || a.family === 'IPv4')
        .map((a) => a.address)
    : [host];
  return addresses.map((a) => `${scheme}://${hostForUrl(a)}:${port}/`);
}

/** Names and addresses a generated server certificate must cover so chargers can verify it. */
export function certificateNames(host: string): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set<string>(['localhost']);
  const h = hostname();
  if (h) {
    dnsNames.add(h);
    if (!h.includes('.')) dnsNames.add(`${h}.local`);
  }
  const ipAddresses = new Set<string>(localAddresses().map((a) => a.address));
  ipAddresses.add('127.0.0.1');
  if (host && host !== '0.0.0.0' && host !== '::') {
    if (/^[\d.]+$/.test(host) || host.includes(':')) ipAddresses.add(host);
    else dnsNames.add(host);
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}
