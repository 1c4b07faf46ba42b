// Protocol core: parse + validate one frame (analyzeFrame: parse, direction check, schema validation), as a ratio
// to plain JSON.parse of the same text, measured side by side in interleaved rounds so machine noise hits both.
import { analyzeFrame } from '../shared/ocpp/analyze';
import type { JsonObject } from '../shared/ocpp/json';
import { buildCall } from '../shared/ocpp/frame';
import type { BenchResult } from './bench-result';

function meterValuesFrame(): string {
  const at = '2025-06-01T12:00:00.000Z';
  const sv = (measurand: string, value: number, phase?: string, unit?: string): JsonObject => {
    const s: JsonObject = { value, context: 'Sample.Periodic', measurand };
    if (phase) s.phase = phase;
    if (unit) s.unitOfMeasure = { unit, multiplier: 0 };
    return s;
  };
  const sampledValue: JsonObject[] = [
    sv('Energy.Active.Import.Register', 123456.7, undefined, 'Wh'),
    sv('Power.Active.Import', 11040, undefined, 'W'),
    ...['L1', 'L2', 'L3'].map((p) => sv('Current.Import', 16.02, p, 'A')),
    ...['L1-N', 'L2-N', 'L3-N'].map((p) => sv('Voltage', 230.1, p, 'V')),
    sv('SoC', 57, undefined, 'Percent'),
  ];
  return buildCall('7f3c9a52-0d1e-4b8a-9c1f-2e5d6a7b8c9d', 'MeterValues', {
    evseId: 1,
    meterValue: [{ timestamp: at, sampledValue }],
  });
}

const HEARTBEAT = buildCall('7f3c9a52-0d1e-4b8a-9c1f-2e5d6a7b8c9d', 'Heartbeat', {});
const METER_VALUES = meterValuesFrame();

let sink = 0;

function timeOps(fn: () => void, ops: number): number {
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) fn();
  return (performance.now() - t0) / ops;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function compare(text: string): { ours: number; base: number } {
  const ours = (): void => {
    const r = analyzeFrame({ text, sender: 'station', version: '2.0.1', conn: 'bench', seq: 0, mono: 0 });
    if (r.findings.length !== 0 || !r.msg)
      throw new Error(`bench frame is not clean: ${JSON.stringify(r.findings)}`);
    sink += r.findings.length;
  };
  const base = (): void => {
    const v = JSON.parse(text) as unknown[];
    sink += v.length;
  };
  // Warm-up: compiles the schema and lets the JIT settle.
  for (let i = 0; i < 2000; i++) {
    ours();
    base();
  }
  const ops = text.length > 500 ? 2000 : 20000;
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 15; round++) {
    b.push(timeOps(base, ops));
    a.push(timeOps(ours, ops));
  }
  return { ours: median(a), base: median(b) };
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [name, text, target] of [
    ['Heartbeat', HEARTBEAT, 6],
    ['MeterValues', METER_VALUES, 3],
  ] as const) {
    const { ours, base } = compare(text);
    const ratio = ours / base;
    out.push({
      name: `protocol: parse+validate ${name} (${text.length} B) / JSON.parse`,
      value: ratio,
      unit: 'x',
      target: `<= ${target}`,
      met: ratio <= target,
      detail: `analyzeFrame ${(ours * 1000).toFixed(2)} µs/frame, JSON.parse ${(base * 1000).toFixed(2)} µs/frame`,
    });
  }
  if (sink < 0) console.log(sink);
  return out;
}
