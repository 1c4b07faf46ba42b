/** What a command gets from the dispatcher instead of touching `process` directly, so tests can drive it. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Aborted on SIGINT or SIGTERM: long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A command's entry point: arguments after the command name; resolves to the exit code. */
export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

/**
 * The io for a real process, a function that removes the handlers it installed, and whether stdout was closed by
 * its reader (`inspect ... | head`): then the command is stopped like Ctrl+C and the process exits quietly, as
 * Unix tools do, instead of dying on EPIPE with a stack trace.
 */
export function processIo(): { io: CliIo; dispose: () => void; outputClosed: () => boolean } {
  const controller = new AbortController();
  let closed = false;
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
    controller.abort();
  };
  process.stdout.on('error', onOutputError);
  const stdout = {
    write: (text: string): boolean => (closed ? true : process.stdout.write(text)),
    isTTY: process.stdout.isTTY,
  };
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    // A second Ctrl+C means "now": do not wait for a clean shutdown that may be stuck.
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    io: {
      stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      signal: controller.signal,
      env: process.env,
      cwd: process.cwd(),
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Left attached: a write still queued when the command returns may yet fail with EPIPE after this.
    },
    outputClosed: () => closed,
  };
}

/** Prints one line on stdout (the newline is added). */
export function say(io: CliIo, line: string): void {
  io.stdout.write(`${line}\n`);
}

/** Prints one line on stderr (the newline is added). */
export function warn(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}

/** Resolves when the signal fires (immediately if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
