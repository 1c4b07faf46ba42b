import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../../../electron/common/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the app, and what Monaco needs (inline styles, blob workers)', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('never allows eval or inline scripts', () => {
    const csp = contentSecurityPolicy({ connect: ['ws://127.0.0.1:1234'] });
    expect(csp).not.toContain('unsafe-eval');
    expect(directives(csp).get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('adds the bridge to connect-src in serve mode', () => {
    const d = directives(contentSecurityPolicy({ connect: ['ws://127.0.0.1:1234'] }));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:1234']);
  });

  it('sends the CSP with the other hardening headers', () => {
    const h = securityHeaders();
    expect(h['Content-Security-Policy']).toBe(contentSecurityPolicy());
    expect(h['X-Content-Type-Options']).toBe('nosniff');
  });
});
