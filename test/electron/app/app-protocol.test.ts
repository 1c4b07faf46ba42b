import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler, isAppUrl, isExternalLink } from '../../../electron/app/app-protocol';
import { testTempDir } from '../../support/temp-dirs';

function rendererDir(): string {
  const root = testTempDir('renderer');
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>OCPP Scope</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  return dir;
}

describe('app protocol handler', () => {
  it('serves the renderer files with the CSP and the right type', async () => {
    const handle = createAppProtocolHandler(rendererDir());
    const index = await handle(new Request('app://renderer/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('OCPP Scope');
    const js = await handle(new Request('app://renderer/assets/app.js'));
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('never serves anything outside the renderer folder', async () => {
    const handle = createAppProtocolHandler(rendererDir());
    for (const url of [
      'app://renderer/../secret.txt',
      'app://renderer/%2e%2e/secret.txt',
      'app://renderer/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await handle(new Request(url));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('says the UI is not built when there is no index.html', async () => {
    const handle = createAppProtocolHandler(join(tmpdir(), 'no-such-renderer-dir'));
    const res = await handle(new Request('app://renderer/'));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('not built');
  });

  it('tells our pages from external links', () => {
    expect(isAppUrl('app://renderer/index.html')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isExternalLink('https://example.com/')).toBe(true);
    expect(isExternalLink('http://example.com/')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(isExternalLink(bad)).toBe(false);
    }
  });
});
