import type { RedactionTally } from './redaction-report';

/**
 * Secrets inside free text: a string value of a payload, a frame that is not JSON, a URL, a note. Patterns, not
 * structure: PEM private keys, JSON Web Tokens, bearer tokens, credentials in a URL and `password=`/`token=` pairs.
 */

export const REDACTED = '***REDACTED***';

const PEM = /-----BEGIN ([A-Z0-9 ]{1,64})-----[\s\S]*?-----END \1-----/g;
// A private key cut short (no END line, e.g. a truncated frame): everything after BEGIN goes.
const PEM_PRIVATE_OPEN = /-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY)-----[\s\S]*$/;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)(\s+)(?!\*\*\*REDACTED)[A-Za-z0-9._~+/=-]{6,}/gi;
// scheme://user:password@host
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s/:@"'<>]*):([^\s/@"'<>]+)@/gi;
// The file server's per-transfer URLs (electron/engine/files/file-server.ts transferUrl): http(s)://host/t/<token>/
const TRANSFER_TOKEN = /\b(https?:\/\/[^\s/"'<>]+\/t\/)(?!\*\*\*REDACTED)([A-Za-z0-9_-]{8,})(?=\/)/gi;
/**
 * name=value or name: value where the name says secret. Whole names for short words (pass, pwd, key, sig, auth) so
 * "bypass" or "monkey" stay; names ending in the long words (adminPassword, x_api_token) too.
 */
const PAIR =
  /(^|[\s?&;,{("'[])((?:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|apikey|api_key|api-key|accesskey|access_key|privatekey|private_key|credentials?))|pass|pwd|pw|key|sig|signature|auth|authorization|session|sessionid|sid)("?\s*[=:]\s*"?)(?!\*\*\*REDACTED)([^\s&;,"'<>)}\]]+)/gi;

export interface TextScanOptions {
  /** Replace every PEM block, certificates too (vendor data whose meaning is unknown); else private keys only. */
  allPem?: boolean;
}

/** The text with every secret it recognises replaced; counts go to the tally by rule. */
export function redactSecretText(text: string, tally: RedactionTally, options: TextScanOptions = {}): string {
  if (text.length < 6) return text;
  let s = text;
  if (s.includes('-----BEGIN ')) {
    s = s.replace(PEM, (block, label: string) => {
      const isKey = label.includes('PRIVATE KEY');
      if (!isKey && !options.allPem) return block;
      tally.add(isKey ? 'pem-private-key' : 'pem-block', block);
      return `-----BEGIN ${label}-----\n${REDACTED}\n-----END ${label}-----`;
    });
    s = s.replace(PEM_PRIVATE_OPEN, (block, label: string) => {
      if (block.slice(label.length + 16).startsWith(`\n${REDACTED}\n-----END`)) return block;
      tally.add('pem-private-key', block);
      return `-----BEGIN ${label}-----\n${REDACTED}`;
    });
  }
  if (s.includes('eyJ')) {
    s = s.replace(JWT, (jwt) => {
      tally.add('jwt', jwt);
      return REDACTED;
    });
  }
  if (/bearer/i.test(s)) {
    s = s.replace(BEARER, (whole, scheme: string, sp: string) => {
      tally.add('bearer-token', whole.slice(scheme.length + sp.length));
      return `${scheme}${sp}${REDACTED}`;
    });
  }
  if (s.includes('://')) {
    s = s.replace(URL_PASSWORD, (_whole, head: string, password: string) => {
      tally.add('url-password', password);
      return `${head}:${REDACTED}@`;
    });
    s = s.replace(TRANSFER_TOKEN, (_whole, head: string, token: string) => {
      tally.add('transfer-token', token);
      return `${head}${REDACTED}`;
    });
  }
  if (s.includes('=') || s.includes(':')) {
    s = s.replace(PAIR, (_whole, lead: string, name: string, sep: string, value: string) => {
      tally.add(lead === '?' || lead === '&' ? 'url-query-secret' : 'secret-pair', value);
      return `${lead}${name}${sep}${REDACTED}`;
    });
  }
  return s;
}
