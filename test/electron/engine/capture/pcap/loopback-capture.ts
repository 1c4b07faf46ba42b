import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

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
    // Let the last packets reach tcpdump (bounded), then stop it cleanly so the file is complete.
    await new Promise((r) => setTimeout(r, 300));
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
