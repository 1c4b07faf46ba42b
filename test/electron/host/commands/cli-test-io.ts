import { Readable } from 'node:stream';
import type { CliIo } from '../../../../electron/host/cli-context';

/** An in-memory CliIo: what a command printed, and a hook on stderr lines. */
export function testIo(onStderr?: (text: string) => void): {
  io: CliIo;
  out: () => string;
  err: () => string;
  abort: () => void;
} {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: {
      write: (t: string) => {
        err += t;
        onStderr?.(t);
        return true;
      },
    },
    stdin: Readable.from([]) as unknown as CliIo['stdin'],
    signal: controller.signal,
    env: {},
    cwd: process.cwd(),
  };
  return { io, out: () => out, err: () => err, abort: () => controller.abort() };
}
