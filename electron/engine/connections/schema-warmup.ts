import { actionsOf } from '../../../shared/ocpp/actions';
import { loadPrecompiled } from '../../../shared/ocpp/precompiled-validators';
import { compileSchema, rawPayloadSchema, validatePayload } from '../../../shared/ocpp/schema-registry';
import type { PayloadKind } from '../../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../../shared/ocpp/versions';

/**
 * Readies every schema of a version before it is needed, so the first use of an action never stalls the engine.
 * The validators were compiled at build time (shared/ocpp/precompiled-validators.ts): the warm-up loads the
 * version's code, makes each validator from it and runs it once (V8 compiles a function on its first call), in
 * slices between which the event loop serves sockets. Without the build's code (it failed to load) the schemas are
 * compiled with ajv in the same slices, as before (one 2.1 schema took up to some 100 ms, all of 2.1 about 3 s).
 * A version's warm-up starts once, when it is first wanted, and callers that must not meet a cold schema (a
 * charger about to be accepted) wait for it. Both validators of each schema are readied: the one that stops at the
 * first violation and the one that lists them all (used on invalid payloads).
 */

/** One slice readies validators for about this long before letting the loop serve sockets again (a frame that arrives meanwhile waits at most about this long). */
const SLICE_MS = 3;

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
        // (validatePayload runs the 'first' one, and the 'all' one on the errors of `{}`.)
        if (mode === 'all') validatePayload(version, action, kind, {});
      }
      if (i < jobs.length) setImmediate(slice);
      else resolve();
    };
    setImmediate(slice);
  });
}

/**
 * How long a charger waits at most for its version's warm-up. On a loaded machine the warm-up of a large version
 * takes many seconds; past this the charger is accepted and the rest compiles in slices beside its traffic.
 */
export const WARM_WAIT_MS = 2000;

/**
 * Resolves once every schema of these versions is readied, or after WARM_WAIT_MS (the warm-up goes on), but never
 * before the versions' build-time code is loaded (or failed to load): past that point a validator not readied yet
 * is made from its code in a few milliseconds, while without it a schema would be compiled (up to hundreds). Use
 * schemasReady to wait for the end of it.
 */
export function warmSchemas(versions: Iterable<OcppVersion>): Promise<void> {
  const list = [...versions];
  const all = schemasReady(list);
  if (all === READY) return all;
  const capped = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, WARM_WAIT_MS);
    timer.unref();
    void all.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return Promise.all([capped, ...list.map((v) => loadPrecompiled(v))]).then(() => undefined);
}

const READY = Promise.resolve();

/** Starts the warm-up of these versions where needed; resolves once all their schemas are compiled. */
export function schemasReady(versions: Iterable<OcppVersion>): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const v of versions) {
    if (done.has(v)) continue;
    let p = warm.get(v);
    if (!p) {
      const jobs = jobsOf(v);
      p = loadPrecompiled(v)
        .then(() => runSliced(jobs, v, 'first'))
        .then(() => runSliced(jobs, v, 'all'))
        .then(() => {
          done.add(v);
        });
      warm.set(v, p);
    }
    waits.push(p);
  }
  return waits.length === 0 ? READY : Promise.all(waits).then(() => undefined);
}

/** True when the version's schemas are all compiled (for the hot path: no promise needed then). */
export function schemasWarm(version: OcppVersion): boolean {
  return done.has(version);
}
