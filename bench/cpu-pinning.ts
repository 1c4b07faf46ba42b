// Which CPU the engine bench's client runs on, and which its server processes run on (Linux `taskset`).
//
// One call at a time: client and servers pinned, each to a CPU of its own. Unpinned, the scheduler put client and
// server on one CPU at some times and on two at others, and the round trip then measured where they were put as
// much as the server: bare ws's median round trip read 43-67 µs (once 94 µs) in some rounds and 130-260 µs in others
// of the same runs, the fast rounds those where client and server shared a CPU and no wake-up crossed from one CPU
// to the other (on this virtual machine such a wake-up costs tens of µs). The p50 figure, the best round of each
// side, then read 0.76x to 2.46x (2 of 9 unpinned runs over the 1.1x target). Pinned, 6 runs read 0.77-1.00x, bare
// ws's rounds 119-408 µs, none of them fast: client and server on CPUs of their own, alike for bare ws and ours, as
// when a charger calls from another machine.
//
// Throughput: the client (the load) pinned to one CPU, the servers free to run on every CPU the bench had. A child
// inherits its parent's affinity, so they are started through taskset with that list: f9a1c7a forked them while the
// load was pinned, which put load and servers all on CPU 0 (found in review; the figures it gave are labelled so in
// bench/README.md). Unpinned, the scheduler also put the load beside the server at times: in such rounds the load's
// own CPU per call went from about 18 µs to 41-47 µs and both processes together used about one CPU of the two, so
// the round measured the load's placement, not the server; at 1,000 chargers the paired rounds of one run then read
// 0.34x to 1.43x, and 5 of 12 unpinned runs missed the 0.85x target. The servers are not pinned to the other CPU: a
// server pinned to one CPU has its own threads there too (its file writes, V8's compiler and collector), which bare
// ws barely uses and ours does. Pinned so, the first use of every action read 14-37 ms (4-7 ms unpinned) and one
// recorded MeterValues run 0.746x (0.85-0.92x unpinned).
import { execFileSync } from 'node:child_process';

export interface CpuPinning {
  /** The CPU of the bench process (the load). */
  load: number;
  /** The CPU of every server process. */
  server: number;
  /** The bench process's affinity list before it was pinned, to restore. */
  before: string;
}

/** Parses a CPU list as taskset prints it ("0-3,6"): the CPUs in order, or undefined when it is not one. */
export function parseCpuList(list: string): number[] | undefined {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 4096) return undefined;
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/**
 * The CPUs this process may run on, read with `taskset -cp` (a container's cpuset may allow CPUs other than 0 and
 * 1); undefined where taskset is missing or says something else.
 */
function allowedCpus(): { cpus: number[]; list: string } | undefined {
  try {
    const out = execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8', stdio: 'pipe' });
    const list = /list:\s*(\S+)/.exec(out)?.[1];
    const cpus = list === undefined ? undefined : parseCpuList(list);
    return cpus && list ? { cpus, list } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pins this process (all its threads) to the first CPU it may use and returns the plan, in which servers go on the
 * second; or says why it did not: OCPP_SCOPE_BENCH_PIN=0, fewer than two CPUs, no taskset. unpinLoad undoes it.
 */
export function pinLoad(): CpuPinning | string {
  if (process.env['OCPP_SCOPE_BENCH_PIN'] === '0') return 'not pinned (OCPP_SCOPE_BENCH_PIN=0)';
  const allowed = allowedCpus();
  if (!allowed) return 'not pinned (no taskset)';
  const [load, server] = allowed.cpus;
  if (load === undefined || server === undefined) return 'not pinned (one CPU)';
  try {
    execFileSync('taskset', ['-a', '-cp', String(load), String(process.pid)], { stdio: 'ignore' });
  } catch {
    return 'not pinned (taskset failed)';
  }
  return { load, server, before: allowed.list };
}

/**
 * Gives this process back the CPUs it had before pinLoad. Throws when it cannot: the measurements after it would
 * run pinned, which slows ours (its compiler's and file writes' threads on one CPU) and not bare ws.
 */
export function unpinLoad(p: CpuPinning): void {
  try {
    execFileSync('taskset', ['-a', '-cp', p.before, String(process.pid)], { stdio: 'ignore' });
  } catch (e) {
    throw new Error(`could not give the bench back CPUs ${p.before}: ${(e as Error).message}`, { cause: e });
  }
}
