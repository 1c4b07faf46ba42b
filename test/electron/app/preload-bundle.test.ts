import { build } from 'esbuild';
import { optionsFor } from '../../../build/build-node.mjs';
import { describe, expect, it } from 'vitest';

describe('preload bundle', () => {
  it('is CommonJS that requires nothing but electron (a sandboxed preload can load nothing else)', async () => {
    // Exactly the options build/build-node.mjs bundles with, in memory.
    const result = await build({
      ...optionsFor('electron/app/preload.ts'),
      sourcemap: false,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(|import\.meta/);
    expect(code).toContain('exposeInMainWorld("ocppScope"');
  });
});
