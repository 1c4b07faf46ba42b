/**
 * What a redaction replaced, by rule, with counts: shown in the export dialog and printed by `convert`, so a person
 * sharing a capture can see what was taken out (and that redaction ran at all).
 */

export const REDACTION_RULES = {
  'authorization-header': 'Authorization / Proxy-Authorization credentials (the Basic user is kept)',
  'cookie-header': 'Cookie / Set-Cookie header values',
  'unlisted-header': 'values of headers not on the harmless list (X-Api-Key and the like)',
  'basic-auth-password': 'Basic-auth password in the handshake record',
  'url-password': 'passwords in URLs (scheme://user:password@host)',
  'transfer-token':
    "file-server tokens in URL paths (http(s)://host/t/<token>/...: the token is the upload's credential)",
  'url-query-secret': 'secret-named URL query parameters (token=, password=, key=...)',
  'secret-key': 'payload values under secret-named keys (password, authorizationKey, privateKey...)',
  'named-secret-value':
    'values of configuration keys or variables that name a secret (AuthorizationKey, BasicAuthPassword)',
  'vpn-key': 'the VPN key of SetNetworkProfile',
  'pem-private-key': 'PEM private keys',
  'pem-block': 'PEM blocks inside DataTransfer data',
  jwt: 'JSON Web Tokens',
  'bearer-token': 'Bearer tokens in text',
  'secret-pair': 'password=... / token=... pairs in text',
} as const;

export type RedactionRule = keyof typeof REDACTION_RULES;

export interface RedactionReportItem {
  rule: RedactionRule;
  description: string;
  count: number;
}

/** Shortest secret worth scrubbing from finding messages too (shorter ones would hit ordinary words). */
const MIN_ECHO = 4;
const MAX_ECHOES = 64;

export class RedactionTally {
  private readonly counts = new Map<RedactionRule, number>();
  /** Secrets replaced in the current event, so messages quoting them (schema findings do) can be scrubbed too. */
  readonly echoes = new Set<string>();

  add(rule: RedactionRule, secret?: string): void {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    if (secret !== undefined && secret.length >= MIN_ECHO && this.echoes.size < MAX_ECHOES)
      this.echoes.add(secret);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  report(): RedactionReportItem[] {
    return [...this.counts]
      .map(([rule, count]) => ({ rule, description: REDACTION_RULES[rule], count }))
      .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  }
}

/** One line per rule, for the CLI. */
export function formatRedactionReport(items: readonly RedactionReportItem[]): string {
  if (items.length === 0) return 'Redaction: nothing matched a secret rule.\n';
  const lines = items.map((i) => `  ${String(i.count).padStart(6)}  ${i.rule}: ${i.description}`);
  return `Redaction replaced ${items.reduce((n, i) => n + i.count, 0)} value(s):\n${lines.join('\n')}\n`;
}
