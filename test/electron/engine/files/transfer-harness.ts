import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FilesSettings } from '../../../../shared/api';
import type { ScopeEvent, TransferEvent } from '../../../../shared/capture/events';
import { generateCa } from '../../../../electron/engine/tls/certificates';
import type { CertificateBundle } from '../../../../electron/engine/tls/certificates';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { FileServer, defaultFilesSettings } from '../../../../electron/engine/files/file-server';
import { Wake } from '../../../support/wake';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a third-party client (curl, python3) with a bounded time; never rejects. */
export function run(cmd: string, args: string[], ms = 15_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: ms, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** curl with its output discarded and the HTTP status printed (stdout is the status code). */
export function curlStatus(args: string[]): Promise<Ran> {
  return run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', ...args]);
}

/** A file server on loopback with every protocol on a free port, its folder in a fresh temp dir. */
export class FilesHarness {
  readonly stream = new EventStream();
  readonly events: ScopeEvent[] = [];
  readonly wake = new Wake();
  server!: FileServer;
  dir = '';
  work = '';
  ca!: CertificateBundle;
  caFile = '';

  async start(overrides: Partial<FilesSettings> = {}): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'scope-files-'));
    this.work = await mkdtemp(join(tmpdir(), 'scope-client-'));
    this.ca = await generateCa({ commonName: 'Test CA', keyKind: 'ec', days: 2 });
    this.caFile = join(this.work, 'ca.pem');
    await writeFile(this.caFile, this.ca.certPem);
    this.stream.subscribe((e) => {
      this.events.push(e);
      this.wake.notify();
    });
    this.server = new FileServer(this.stream, { ca: async () => this.ca });
    const status = await this.server.start({
      ...defaultFilesSettings(this.dir),
      host: '127.0.0.1',
      ...overrides,
    });
    if (!status.running) throw new Error(status.error);
    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.server.dispose();
    await rm(this.dir, { recursive: true, force: true });
    await rm(this.work, { recursive: true, force: true });
  }

  transfers(): TransferEvent[] {
    return this.events.filter((e): e is TransferEvent => e.kind === 'transfer');
  }

  /** The ended (completed or failed) event of the n-th transfer to end, waiting for it. */
  ended(n = 1): Promise<TransferEvent> {
    return this.wake.until(`transfer #${n} to end`, () => {
      const ended = this.transfers().filter((e) => e.phase === 'completed' || e.phase === 'failed');
      return ended[n - 1];
    });
  }

  url(protocol: string, all: { protocol: string; url: string }[]): string {
    const u = all.find((x) => x.protocol === protocol);
    if (!u) throw new Error(`no ${protocol} URL`);
    return u.url;
  }
}

/** Deterministic pseudo-random bytes (incompressible enough, and every byte value occurs). */
export function bytes(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
