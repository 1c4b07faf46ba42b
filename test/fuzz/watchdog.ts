import { Worker } from 'node:worker_threads';

/**
 * A hang the fuzz loop cannot see for itself: an input that never returns (a synchronous endless loop, or a promise
 * that never settles) blocks the test's own thread, so neither its timing check nor vitest's timeout ever runs, and
 * CI would wait for its hour. The watchdog is a second thread that sees each input begin and end through shared
 * memory; when one input runs past `limitMs` it saves that input, says which one on stderr, and kills the test
 * process, so the run fails at once with the input to reproduce.
 */

const MAX_INPUT = 1 << 20;
// Int32 slots of the control block.
const GEN = 0;
const RUNNING = 1;
const INDEX = 2;
const LENGTH = 3;
const SLOTS = 4;

// Plain JavaScript: the thread runs without the test's TypeScript loader.
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeFileSync, writeSync } = require('node:fs');
const ctl = new Int32Array(workerData.control);
const bytes = new Uint8Array(workerData.input);
let seen = -1;
let since = Date.now();
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen, 250);
  const gen = Atomics.load(ctl, ${GEN});
  if (gen !== seen) {
    seen = gen;
    since = Date.now();
    continue;
  }
  if (Atomics.load(ctl, ${RUNNING}) !== 1 || Date.now() - since < workerData.limitMs) continue;
  const index = Atomics.load(ctl, ${INDEX});
  const saved = workerData.savePrefix + index;
  try {
    writeFileSync(saved, bytes.slice(0, Atomics.load(ctl, ${LENGTH})));
  } catch {}
  writeSync(2, '\\nfuzz watchdog: ' + workerData.kind + ' input #' + index + ' has not returned in ' +
    workerData.limitMs + ' ms: a hang (input saved to ' + saved + '). Stopping the test process.\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

export class Watchdog {
  private readonly control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private readonly input = new Uint8Array(new SharedArrayBuffer(MAX_INPUT));
  private readonly worker: Worker;
  private readonly encoder = new TextEncoder();

  constructor(kind: string, limitMs: number, savePrefix: string) {
    this.worker = new Worker(WATCHER, {
      eval: true,
      workerData: { control: this.control.buffer, input: this.input.buffer, kind, limitMs, savePrefix },
    });
    // The watchdog never keeps the process alive on its own.
    this.worker.unref();
  }

  /** Input `index` starts; its bytes (the first MiB) are kept where the watchdog can save them. */
  begin(index: number, input: Uint8Array): void {
    const length = Math.min(input.length, MAX_INPUT);
    this.input.set(input.subarray(0, length));
    this.mark(index, length);
  }

  private mark(index: number, length: number): void {
    Atomics.store(this.control, INDEX, index);
    Atomics.store(this.control, LENGTH, length);
    Atomics.store(this.control, RUNNING, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
  }

  /** As begin, for a text input: encoded straight into the shared bytes. */
  beginText(index: number, text: string): void {
    const { written } = this.encoder.encodeInto(text, this.input);
    this.mark(index, written);
  }

  end(): void {
    Atomics.store(this.control, RUNNING, 0);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
