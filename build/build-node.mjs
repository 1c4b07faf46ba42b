// Bundles the Node side with esbuild: the CLI/serve host (ESM) and the Electron main and preload (CommonJS,
// because a sandboxed preload must be CommonJS). Runtime dependencies stay external.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  // The oldest Node we support (engines.node in package.json).
  target: 'node22.13',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};
const jobs = [
  { entryPoints: ['electron/host/cli.ts'], outfile: 'dist/node/cli.mjs', format: 'esm' },
  {
    entryPoints: ['electron/app/main.ts'],
    outfile: 'dist/app/main.cjs',
    format: 'cjs',
    external: ['electron'],
  },
  {
    entryPoints: ['electron/app/preload.ts'],
    outfile: 'dist/app/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  },
];

/** The esbuild options of one bundle, by entry point: tests bundle in memory with exactly these. */
export function optionsFor(entry) {
  const job = jobs.find((j) => j.entryPoints[0] === entry);
  if (!job) throw new Error(`no bundle has the entry point ${entry}`);
  return { ...common, ...job };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const job of jobs) await build({ ...common, ...job });
}
