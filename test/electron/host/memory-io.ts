import { Readable } from 'node:stream';
import type { CliIo } from '../../../electron/host/cli-context';

/** A CliIo that records output in memory and can be interrupted like Ctrl+C. */
export function memoryIo(stdinText = '') {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    stdin: Readable.from([stdinText]),
    signal: controller.signal,
    env: {},
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), interrupt: () => controller.abort() };
}
