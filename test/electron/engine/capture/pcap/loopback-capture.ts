import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';

/** Runs tcpdump on loopback for the given ports while `work` runs; returns when the file is complete. */
export async function captureLoopback(
  file: string,
  ports: number[],
  work: () => Promise<void>,
  extraArgs: string[] = ['-i', 'lo'],
): Promise<void> {
  const filter = ports.map((p) => `tcp port ${p}`).join(' or ');
  const child: ChildProcess = spawn(
    'tcpdump',
    [...extraArgs, '--immediate-mode', '-U', '-s', '0', '-w', file, filter],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 15_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}): ${err}`));
    });
  });
  try {
    await work();
  } finally {
    // Let the last packets reach the file: wait until it stops growing (bounded), then stop tcpdump cleanly.
    let last = -1;
    let stable = 0;
    for (let i = 0; i < 40 && stable < 3; i++) {
      await new Promise((r) => setTimeout(r, 150));
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        // not created yet
      }
      stable = size === last && size > 24 ? stable + 1 : 0;
      last = size;
    }
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
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
