/** Where progress goes: a writable with an optional TTY flag (process.stderr, or a test double). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(text: string): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

/**
 * One status line for long work (indexing, converting, replaying), redrawn in place at most every `intervalMs`.
 * Only on a terminal: piped output stays clean for scripts and --json consumers.
 */
export function terminalProgress(
  stream: ProgressStream,
  label: string,
  intervalMs = 100,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return SILENT;
  let last = -Infinity;
  let shown = false;
  return {
    update(text) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[2K${label}: ${text}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
