// `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<BenchResult[]>`) and prints a table of
// ratios measured side by side in this run. Targets are reported, never asserted as absolute times.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();
const all: BenchResult[] = [];
for (const file of files) {
  console.log(`\n# ${file}`);
  const mod = (await import(pathToFileURL(dir + file).href)) as { run: () => Promise<BenchResult[]> };
  for (const r of await mod.run()) {
    all.push(r);
    const verdict = r.target === undefined ? '' : r.met ? '  (target met)' : '  (target MISSED)';
    console.log(
      `${r.name}: ${r.value.toFixed(3)} ${r.unit}${r.target ? `  target ${r.target}` : ''}${verdict}`,
    );
    if (r.detail) console.log(`    ${r.detail}`);
  }
}
const missed = all.filter((r) => r.met === false).length;
console.log(`\n${all.length} measurements, ${missed} target(s) missed.`);
