import { actionsOf } from '../../shared/ocpp/actions';
import { compileSchema, rawPayloadSchema, validatePayload } from '../../shared/ocpp/schema-registry';
import type { PayloadKind } from '../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../shared/ocpp/versions';

/**
 * Compiles every schema of a version before it is needed, so the first use of an action never stalls the engine
 * (compiling one schema takes up to some 100 ms; all of 2.1 about 3 s). The work is cut into slices between which
 * the event loop serves sockets; a version's warm-up starts once, when it is first wanted, and callers that must
 * not meet a cold schema (a charger about to be accepted) wait for it. Both validators of each schema are compiled:
 * the one that stops at the first violation and the one that lists them all (used on invalid payloads); leaving
 * either to first use would stall live traffic at unpredictable times.
 */

/** One slice compiles schemas for about this long before letting the loop serve sockets again. */
const SLICE_MS = 8;

type Job = [action: string, kind: PayloadKind];

const warm = new Map<OcppVersion, Promise<void>>();
const done = new Set<OcppVersion>();

function jobsOf(version: OcppVersion): Job[] {
  const out: Job[] = [];
  for (const a of actionsOf(version))
    for (const kind of ['request', 'response'] as const)
      if (rawPayloadSchema(version, a.name, kind)) out.push([a.name, kind]);
  return out;
}

function runSliced(jobs: Job[], version: OcppVersion, mode: 'first' | 'all'): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const slice = (): void => {
      const start = performance.now();
      while (i < jobs.length && performance.now() - start < SLICE_MS) {
        const [action, kind] = jobs[i++]!;
        compileSchema(version, action, kind, mode);
        // Run it once too: V8 compiles a validator's code on its first call, which took up to 10 ms for big ones.
        if (mode === 'all') validatePayload(version, action, kind, {});
      }
      if (i < jobs.length) setImmediate(slice);
      else resolve();
    };
    setImmediate(slice);
  });
}

/** Resolves once every schema of these versions is compiled (at once when they are). */
export function warmSchemas(versions: Iterable<OcppVersion>): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const v of versions) {
    if (done.has(v)) continue;
    let p = warm.get(v);
    if (!p) {
      const jobs = jobsOf(v);
      p = runSliced(jobs, v, 'first')
        .then(() => runSliced(jobs, v, 'all'))
        .then(() => {
          done.add(v);
        });
      warm.set(v, p);
    }
    waits.push(p);
  }
  return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
}

/** True when the version's schemas are all compiled (for the hot path: no promise needed then). */
export function schemasWarm(version: OcppVersion): boolean {
  return done.has(version);
}
