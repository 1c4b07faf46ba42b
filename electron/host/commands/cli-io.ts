import type { CliIo as StreamIo } from '../cli-context';

/** Line-oriented io for a command: each call prints one line (no trailing newline needed). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  stdin?: NodeJS.ReadableStream;
  /** Aborted on SIGINT/SIGTERM; without it the command installs its own signal handlers. */
  signal?: AbortSignal;
}

/** Either the line io above or the dispatcher's stream io (electron/host/cli-context.ts). */
export type AnyCliIo = CliIo | StreamIo;

export function toLineIo(io: AnyCliIo): CliIo {
  if (typeof io.stdout === 'function') return io as CliIo;
  const s = io as StreamIo;
  return {
    stdout: (line) => void s.stdout.write(`${line}\n`),
    stderr: (line) => void s.stderr.write(`${line}\n`),
    stdin: s.stdin,
    signal: s.signal,
  };
}

/** Resolves when the command should stop: the io's signal, or SIGINT/SIGTERM when there is none. */
export function stopSignal(io: CliIo): { stopped: Promise<void>; dispose: () => void } {
  if (io.signal) {
    const signal = io.signal;
    let onAbort: () => void = () => {};
    const stopped = signal.aborted
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          onAbort = () => resolve();
          signal.addEventListener('abort', onAbort, { once: true });
        });
    return { stopped, dispose: () => signal.removeEventListener('abort', onAbort) };
  }
  let handler: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    handler = () => resolve();
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  });
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
