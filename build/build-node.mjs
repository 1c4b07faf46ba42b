// Bundles the Node side with esbuild: the CLI/serve host (ESM) and the Electron main and preload (CommonJS,
// because a sandboxed preload must be CommonJS). Runtime dependencies stay external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.10',
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
for (const job of jobs) {
  if (!existsSync(job.entryPoints[0])) continue;
  await build({ ...common, ...job });
}
