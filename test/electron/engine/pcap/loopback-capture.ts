import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { stopChild, type Exit } from '../../../support/child-process';
import { Wake } from '../../../support/wake';

/** What tcpdump said when it stopped. */
export interface CaptureStats {
  /** Packets tcpdump took from the kernel, all written to the file (-U writes each one as it comes). */
  captured: number;
  /** Packets the kernel had to drop because tcpdump's buffer was full. */
  droppedByKernel: number;
  /** Of those captured, the end marker (one UDP datagram, not TCP, that the decoder skips). */
  markers: number;
}

const count = (text: string, what: string): number | undefined => {
  const m = new RegExp(`(\\d+) packets? ${what}`).exec(text);
  return m ? Number(m[1]) : undefined;
};

/**
 * Runs tcpdump on loopback for the given ports while `work` runs; returns once tcpdump has written everything and
 * exited. To know that every packet of the work reached the file, a marker datagram is sent after it: tcpdump reads
 * the kernel's buffer in order and prints each packet it writes (--print), so once it prints the marker, all earlier
 * packets are in the file. Then SIGINT, and its own count of what it captured and what the kernel dropped.
 */
export async function captureLoopback(
  file: string,
  ports: number[],
  work: () => Promise<void>,
  extraArgs: string[] = ['-i', 'lo'],
): Promise<CaptureStats> {
  const marker = createSocket('udp4');
  await new Promise<void>((resolve) => marker.bind(0, '127.0.0.1', resolve));
  const markerPort = marker.address().port;
  const filter = `(${ports.map((p) => `tcp port ${p}`).join(' or ')}) or (udp and dst port ${markerPort})`;
  const child: ChildProcess = spawn(
    'tcpdump',
    // -B: with -s 0 each slot of the kernel's ring takes 256 KiB, so the default 2 MiB holds about 8 packets and a
    // busy machine overflows it; 64 MiB holds a few hundred.
    [
      ...extraArgs,
      '--immediate-mode',
      '-U',
      '-B',
      '65536',
      '-s',
      '0',
      '-w',
      file,
      '--print',
      '-l',
      '-n',
      filter,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  // tcpdump missing or not allowed to run: no 'exit' comes, only this.
  child.once('error', (e) => {
    err += `${e.message}\n`;
    exitCode = null;
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // Everything tcpdump does re-checks what we wait for (after the handlers above have taken in the output).
  const wake = new Wake();
  child.stdout!.on('data', wake.notify);
  child.stderr!.on('data', wake.notify);
  child.on('exit', wake.notify);
  child.on('error', wake.notify);
  // Resolves when `seen` holds for tcpdump's output so far; fails if tcpdump exits first or after `ms`.
  const until = (what: string, seen: () => boolean, ms: number): Promise<void> =>
    wake
      .until(
        what,
        () => {
          if (seen()) return true;
          if (exitCode !== undefined) throw new Error(`tcpdump exited (${exitCode}): ${err}`);
          return undefined;
        },
        ms,
      )
      .then(
        () => undefined,
        (e: Error) =>
          Promise.reject(e.message.startsWith('timed out') ? new Error(`${e.message}: ${err}`) : e),
      );
  const markerLine = new RegExp(`\\.${markerPort}: UDP`);
  let markerMissing: Error | undefined;
  let stopped: Exit;
  try {
    await until('tcpdump to start listening', () => err.includes('listening on'), 15_000);
    await work();
    marker.send('ocpp-scope capture end', markerPort, '127.0.0.1');
    // The kernel may drop the marker too when tcpdump falls behind: tcpdump's drop count says so below.
    await until('tcpdump to write the end marker', () => markerLine.test(out), 10_000).catch(
      (e: unknown) => (markerMissing = e as Error),
    );
  } finally {
    marker.close();
    // Whatever failed above (startup timeout included), tcpdump stops here: SIGINT so it flushes and prints its
    // counts, SIGKILL if it ignores that; every wait for its exit is bounded.
    stopped = await stopChild(child, 'SIGINT', 10_000);
  }
  if (stopped.forced) throw new Error(`tcpdump ignored SIGINT for 10 s and was killed: ${err}`);
  const captured = count(err, 'captured');
  const droppedByKernel = count(err, 'dropped by kernel');
  if (captured === undefined || droppedByKernel === undefined)
    throw new Error(`tcpdump did not report its counts: ${err}`);
  if (markerMissing && droppedByKernel === 0) throw markerMissing;
  const printed = out.split('\n').filter((l) => l.trim() !== '').length;
  if (printed !== captured)
    throw new Error(`tcpdump printed ${printed} packets but says it captured ${captured}`);
  return { captured, droppedByKernel, markers: out.split('\n').filter((l) => markerLine.test(l)).length };
}

export interface TsharkWs {
  frame: number;
  opcode: number[];
  text: string[];
}

/** tshark's own WebSocket decoding of the file, per packet: opcodes and text payloads. */
export function tsharkWebSocket(file: string, ports: number[]): TsharkWs[] {
  const decodeAs = ports.flatMap((p) => ['-d', `tcp.port==${p},http`]);
  const r = spawnSync(
    'tshark',
    [
      '-r',
      file,
      ...decodeAs,
      '-Y',
      'websocket',
      '-T',
      'json',
      '-e',
      'frame.number',
      '-e',
      'websocket.opcode',
      '-e',
      'websocket.payload.text',
    ],
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  const rows = JSON.parse(r.stdout) as { _source: { layers: Record<string, string[]> } }[];
  return rows.map((row) => ({
    frame: Number(row._source.layers['frame.number']?.[0]),
    opcode: (row._source.layers['websocket.opcode'] ?? []).map(Number),
    text: row._source.layers['websocket.payload.text'] ?? [],
  }));
}

export function haveTools(): boolean {
  return spawnSync('tcpdump', ['--version']).status === 0 && spawnSync('tshark', ['--version']).status === 0;
}
