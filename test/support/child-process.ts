import type { ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process ignored the polite signal and had to be SIGKILLed. */
  forced: boolean;
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Resolves when `child` exits, or with undefined past `ms`: a wait for 'exit' is never unbounded. */
export function exitWithin(child: ChildProcess, ms: number): Promise<Omit<Exit, 'forced'> | undefined> {
  // A process that never started (spawn error) never emits 'exit'.
  if (hasExited(child) || child.pid === undefined)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', on);
      resolve(undefined);
    }, ms);
    function on(code: number | null, signal: NodeJS.Signals | null): void {
      clearTimeout(timer);
      resolve({ code, signal });
    }
    child.once('exit', on);
  });
}

/**
 * Stops `child` with `signal`; if it has not exited within `graceMs`, SIGKILLs it. Every wait is bounded, and it
 * throws only if the process outlives SIGKILL too. Safe to call for a process that already exited.
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<Exit> {
  if (hasExited(child) || child.pid === undefined)
    return { code: child.exitCode, signal: child.signalCode, forced: false };
  child.kill(signal);
  const polite = await exitWithin(child, graceMs);
  if (polite) return { ...polite, forced: false };
  child.kill('SIGKILL');
  const killed = await exitWithin(child, 5_000);
  if (killed) return { ...killed, forced: true };
  throw new Error(`process ${child.pid} did not exit even after SIGKILL`);
}

/**
 * Resolves with the first match of `pattern` in the child's stdout, bounded by `ms`; fails if the child exits (or
 * cannot start) first, with what it printed. The caller still owns stopping the child.
 */
export function matchStdout(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  ms = 20_000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onOut = (d: Buffer): void => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) finish(() => resolve(m));
    };
    const onErr = (d: Buffer): void => void (err += d.toString());
    const onExit = (code: number | null): void =>
      finish(() => reject(new Error(`exited with ${code} before printing ${what}: ${out}${err}`)));
    const onError = (e: Error): void => finish(() => reject(e));
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}: ${out}${err}`))),
      ms,
    );
    function finish(fn: () => void): void {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      child.off('error', onError);
      fn();
    }
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
    child.once('error', onError);
    if (hasExited(child)) onExit(child.exitCode);
  });
}
