import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Points kept per connector: ten minutes at one sample per second. */
const KEEP = 600;

export interface ChartSeries {
  /** Seconds since epoch. */
  t: number[];
  powerKw: number[];
  energyKwh: number[];
}

export function emptySeries(): ChartSeries {
  return { t: [], powerKw: [], energyKwh: [] };
}

/** Appends one sample, dropping the oldest past KEEP; returns the same object (the chart redraws from it). */
export function addSample(s: ChartSeries, tSec: number, powerW: number, energyWh: number): ChartSeries {
  s.t.push(tSec);
  s.powerKw.push(powerW / 1000);
  s.energyKwh.push(energyWh / 1000);
  if (s.t.length > KEEP) {
    s.t.shift();
    s.powerKw.shift();
    s.energyKwh.shift();
  }
  return s;
}

/** A small live chart of one connector: power (kW, left axis) and transaction energy (kWh, right axis). */
export function ConnectorChart({
  series,
  version,
  testId,
}: {
  series: ChartSeries;
  version: number;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const accent = css.getPropertyValue('--accent').trim() || '#3b82f6';
    const ok = css.getPropertyValue('--ok').trim() || '#16a34a';
    const axis = css.getPropertyValue('--muted').trim() || '#888';
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 110,
      legend: { show: true },
      cursor: { show: true },
      scales: { x: { time: true }, kw: { auto: true }, kwh: { auto: true } },
      axes: [
        { stroke: axis, size: 28 },
        { scale: 'kw', stroke: axis, size: 64, values: (_u, v) => v.map((x) => `${x} kW`) },
        { scale: 'kwh', side: 1, stroke: axis, size: 72, values: (_u, v) => v.map((x) => `${x} kWh`) },
      ],
      series: [
        {},
        {
          label: 'Power',
          scale: 'kw',
          stroke: accent,
          width: 1.5,
          value: (_u, v) => (v == null ? '' : `${v.toFixed(2)} kW`),
        },
        {
          label: 'Energy',
          scale: 'kwh',
          stroke: ok,
          width: 1.5,
          value: (_u, v) => (v == null ? '' : `${v.toFixed(3)} kWh`),
        },
      ],
    };
    const u = new uPlot(opts, [series.t, series.powerKw, series.energyKwh], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 110 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = undefined;
    };
    // The chart is made once per connector; new samples arrive through setData below.
  }, []);

  useEffect(() => {
    plot.current?.setData([series.t, series.powerKw, series.energyKwh]);
  }, [series, version]);

  return <div className="connector-chart" ref={box} data-testid={testId} data-points={series.t.length} />;
}
