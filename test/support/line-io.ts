import { Readable } from 'node:stream';
import type { CliIo } from '../../electron/host/cli-context';
import { Wake } from './wake';

/**
 * Line-based output of a command run in this process (runListen, runProxy, runConnect) over the one CliIo type: output is split into lines as printed, each
 * line re-checks what the test waits for, and `stop` interrupts the command like Ctrl+C. Waits are bounded; on
 * timeout the error shows the output so far.
 */
export function lineIo(stdinText = '') {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const wake = new Wake();
  const lines = (into: string[], notify: boolean) => (text: string) => {
    into.push(...text.replace(/\n$/, '').split('\n'));
    if (notify) wake.notify();
    return true;
  };
  const io: CliIo = {
    stdout: { write: lines(out, true) },
    stderr: { write: lines(err, false) },
    stdin: Readable.from([stdinText]),
    signal: controller.signal,
    env: {},
    cwd: process.cwd(),
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
