import { Wake } from './wake';

/**
 * Line-based output of a command run in this process (`runListen`, `runProxy`): each printed line re-checks what
 * the test waits for, and `stop` interrupts the command like Ctrl+C. Waits are bounded; on timeout the error shows
 * the output so far.
 */
export function lineIo() {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const wake = new Wake();
  const io = {
    stdout: (line: string) => {
      out.push(line);
      wake.notify();
    },
    stderr: (line: string) => void err.push(line),
    signal: controller.signal,
  };
  // Generous: an upper bound for output on 2 shared cores, not a timing.
  const until = async (pred: (lines: string[]) => boolean, ms = 15_000): Promise<void> => {
    try {
      await wake.until('output', () => pred(out) || undefined, ms);
    } catch (e) {
      throw new Error(`${(e as Error).message}; output:\n${out.join('\n')}\nstderr:\n${err.join('\n')}`, {
        cause: e,
      });
    }
  };
  return { io, out, err, until, stop: () => controller.abort() };
}
