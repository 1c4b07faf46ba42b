import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { build } from 'esbuild';
import { optionsFor } from '../../build/build-node.mjs';
import { builtinModules } from 'node:module';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const config = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8')) as {
  files: string[];
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  extraMetadata: { main: string };
  directories: { output: string };
  electronFuses: Record<string, boolean>;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** electron-builder's rule: a file is packed when the last matching pattern includes it ("!" excludes). */
function packed(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) {
      included = true;
    }
  }
  return included;
}

function walk(dir: string, skip: Set<string>, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = relative(root, full);
    if (skip.has(rel)) continue;
    if (statSync(full).isDirectory()) walk(full, skip, out);
    else out.push(rel.split('\\').join('/'));
  }
  return out;
}

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(
      readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'),
    );
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('builds AppImage and deb, NSIS and portable, and dmg, with icons', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis', 'portable']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(readdirSync(join(root, config.linux.icon))).toEqual(
      expect.arrayContaining(['256x256.png', '512x512.png']),
    );
    for (const icon of [config.win.icon, config.mac.icon]) {
      const png = readFileSync(join(root, icon));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    }
  });

  it('starts the packed app from the bundled main process', () => {
    expect(config.extraMetadata.main).toBe('dist/app/main.cjs');
    expect(pkg.main).toBe('dist/app/main.cjs');
  });

  it('packs only the built output: no sources, tests, maps or build tools', () => {
    const files = walk(root, new Set(['node_modules', '.git', config.directories.output]));
    const shipped = files.filter(packed);
    for (const f of shipped) expect(f, f).toMatch(/^dist\/(app|renderer)\//);
    for (const f of shipped) expect(f, f).not.toMatch(/\.map$/);
    for (const f of [
      'electron/app/main.ts',
      'shared/api.ts',
      'renderer/src/api/get-api.ts',
      'package.json',
      'test/run-all.mjs',
    ]) {
      expect(packed(f), f).toBe(false);
    }
    for (const f of [
      'dist/app/main.cjs',
      'dist/app/preload.cjs',
      'dist/renderer/index.html',
      'dist/renderer/assets/x.js',
    ]) {
      expect(packed(f), f).toBe(true);
    }
    expect(packed('dist/app/main.cjs.map')).toBe(false);
    expect(packed('dist/node/cli.mjs')).toBe(false);
  });

  it('leaves UI libraries and build tools to devDependencies (bundled by Vite, not shipped as modules)', () => {
    // electron-builder adds the production dependencies' node_modules; nothing the UI bundles may be among them.
    for (const name of [
      'react',
      'react-dom',
      'monaco-editor',
      '@monaco-editor/react',
      'vite',
      'electron',
      'electron-builder',
      'esbuild',
    ]) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
    }
    expect(Object.keys(pkg.dependencies)).toContain('ws');
  });

  it('ships every package the bundled main process loads as a production dependency', async () => {
    // Exactly the options build/build-node.mjs bundles with, in memory.
    const result = await build({
      ...optionsFor('electron/app/main.ts'),
      sourcemap: false,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const packages = new Set(
      [...code.matchAll(/require\(["']([^"']+)["']\)/g)]
        .map((m) => m[1]!)
        .filter((id) => !id.startsWith('node:') && !builtinModules.includes(id) && id !== 'electron')
        .map((id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!)),
    );
    expect(packages.size).toBeGreaterThan(0);
    for (const name of packages)
      expect(pkg.dependencies, `${name} is loaded at run time`).toHaveProperty(name);
    expect(packages.has('react')).toBe(false);
  });

  it('flips the Electron fuses of production builds: no RunAsNode or NODE_OPTIONS, encrypted cookies, ASAR only and checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('installer conventions', () => {
  const raw = JSON.parse(readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8')) as {
    publish?: unknown;
    artifactName?: string;
    portable?: { artifactName?: string };
    fileAssociations?: { ext: string }[];
  };
  const meta = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    author?: string | { name?: string; email?: string };
    homepage?: string;
    engines?: { node?: string };
    scripts: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('never publishes, and names artifacts without spaces', () => {
    expect(raw.publish).toBeNull();
    expect(meta.scripts.dist).toContain('--publish never');
    for (const name of [raw.artifactName, raw.portable?.artifactName]) {
      expect(name).toBeDefined();
      expect(name).not.toMatch(/\s|\$\{productName\}/);
    }
  });

  it('opens captures, HAR and pcap files from the OS, and says who made it', () => {
    expect(raw.fileAssociations?.map((a) => a.ext)).toEqual(['ocppcap.jsonl', 'har', 'pcap', 'pcapng']);
    expect(meta.author).toBe('OCPP Scope contributors');
  });

  it('carries no placeholder address (no invented homepage or e-mail)', () => {
    const files = [
      JSON.stringify(meta),
      JSON.stringify(raw),
      readFileSync(join(root, 'build', 'electron-builder.json'), 'utf8'),
    ];
    for (const text of files) expect(text).not.toMatch(/\.invalid\b|example\.(com|org)/);
    expect(meta.homepage).toBeUndefined();
  });

  it('says which Node runs the tool: the 22 LTS line that Electron 45 and ESLint 10 need', () => {
    expect(meta.engines?.node).toBe('>=22.13.0');
  });

  it('has no dependency that nothing imports', () => {
    expect(meta.devDependencies).not.toHaveProperty('@monaco-editor/react');
  });
});
