/**
 * What a connection is called where a person reads it (cards, the log's Connection column): its charge point
 * identity, or, for an attempt that never told one (a TLS handshake refused before the request), the host it dialled
 * (the SNI name) or reached.
 */
export function connectionName(c: { identity: string; url: string }): string | undefined {
  if (c.identity) return c.identity;
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(c.url)?.[1];
  return host ? `(no identity) ${host}` : undefined;
}
