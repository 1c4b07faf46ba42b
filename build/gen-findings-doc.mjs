// Writes docs/findings.md from the finding catalogue (shared/ocpp/finding-catalogue.ts).
// Run with `npm run gen:findings` (it needs tsx to load the TypeScript source); a test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { renderFindingsDoc } from '../shared/ocpp/finding-catalogue-doc.ts';

writeFileSync(new URL('../docs/findings.md', import.meta.url), renderFindingsDoc());
