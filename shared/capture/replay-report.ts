import type { ReplayDiff } from './replay-diff';
import { escapeHtml as esc } from '../html-escape';

/**
 * A replay's (or offline diff's) report for people: counts, a one-word verdict, text lines for the CLI and notes, and
 * a self-contained HTML page (no script, no external resource) and JSON for export. One report shape for the live
 * replay and the offline diff of two captures, so both read the same way.
 */

/** What a replay or offline diff report is about: shown above it and exported with it. */
export interface ReplayLabel {
  kind: 'replay' | 'diff';
  /** The capture replayed (its name), or the first capture of a diff. */
  capture: string;
  /** The recorded connection (identity and id). */
  connection: string;
  /** Replay: the CSMS URL or the charger that connected; diff: the second capture. */
  target: string;
  side?: 'station' | 'csms';
  startedAt: number;
  finishedAt?: number;
  ignore: string[];
  speed?: number;
  shiftTimestamps?: boolean;
}

export type ReplayItemOutcome = 'matched' | 'differed' | 'missing' | 'unexpected' | 'timed-out';

export interface ReplayReportItem {
  index: number;
  action: string;
  messageId?: string;
  outcome: ReplayItemOutcome;
  diffs: ReplayDiff[];
}

export interface ReplayStatus {
  state: 'idle' | 'waiting' | 'running' | 'paused' | 'done' | 'failed';
  position: number;
  total: number;
  report: ReplayReportItem[];
  error?: string;
  /** While waiting for a charger: since when (epoch ms), until when, and the endpoint URL(s) it may connect to. */
  waiting?: { since: number; until: number; urls: string[] };
  label?: ReplayLabel;
}

export const OUTCOMES: readonly ReplayItemOutcome[] = [
  'matched',
  'differed',
  'missing',
  'unexpected',
  'timed-out',
];

export type ReplayVerdict = 'passed' | 'differences' | 'failed' | 'incomplete';

export const VERDICT_TEXT: Record<ReplayVerdict, string> = {
  passed: 'Everything matched',
  differences: 'Differences found',
  failed: 'Failed',
  incomplete: 'Not finished',
};

export function countOutcomes(status: ReplayStatus): Record<ReplayItemOutcome, number> {
  const counts = { matched: 0, differed: 0, missing: 0, unexpected: 0, 'timed-out': 0 };
  for (const i of status.report) counts[i.outcome]++;
  return counts;
}

export function replayVerdict(status: ReplayStatus): ReplayVerdict {
  if (status.state === 'failed') return 'failed';
  if (status.state !== 'done') return 'incomplete';
  return status.report.every((i) => i.outcome === 'matched') ? 'passed' : 'differences';
}

export function reportIsClean(status: ReplayStatus): boolean {
  return replayVerdict(status) === 'passed';
}

export function summaryLine(status: ReplayStatus): string {
  const c = countOutcomes(status);
  return `${c.matched} matched, ${c.differed} differed, ${c.missing} missing, ${c.unexpected} unexpected, ${c['timed-out']} timed out${status.error ? `; failed: ${status.error}` : ''}`;
}

/** One line per report item and the summary last, for the CLI and for notes. */
export function formatReport(status: ReplayStatus): string[] {
  const lines: string[] = [];
  for (const item of status.report) {
    lines.push(
      `${String(item.index + 1).padStart(4)}  ${item.outcome.padEnd(10)}  ${item.action}${item.messageId ? `  (${item.messageId})` : ''}`,
    );
    for (const d of item.diffs) {
      lines.push(`        ${d.path}: recorded ${JSON.stringify(d.recorded)}, live ${JSON.stringify(d.live)}`);
    }
  }
  lines.push(summaryLine(status));
  return lines;
}

/** The label's lines (what, against what, when), for the CLI header and the exports. */
export function labelLines(status: ReplayStatus): [string, string][] {
  const l = status.label;
  if (!l) return [];
  const iso = (t: number): string => new Date(t).toISOString();
  const rows: [string, string][] = [
    [l.kind === 'diff' ? 'First capture' : 'Capture', l.capture],
    ['Connection', l.connection],
    [l.kind === 'diff' ? 'Second capture' : l.side === 'csms' ? 'Charger' : 'CSMS', l.target],
  ];
  if (l.side) rows.push(['Tool played', l.side === 'csms' ? 'the CSMS' : 'the charger']);
  rows.push(['Started', iso(l.startedAt)]);
  if (l.finishedAt !== undefined) rows.push(['Finished', iso(l.finishedAt)]);
  rows.push(['Ignored', l.ignore.length ? l.ignore.join(', ') : 'nothing']);
  return rows;
}

/** A file name for the exported report: what and when, no spaces. */
export function reportFileName(status: ReplayStatus, ext: 'html' | 'json'): string {
  const l = status.label;
  const what = (l?.capture ?? 'report').replace(/\.(ocppcap\.jsonl|jsonl|har|pcapng|pcap)$/i, '');
  const when = new Date(l?.startedAt ?? 0).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const safe = `${l?.kind ?? 'replay'}-${what}-${when}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
  return `${safe}.${ext}`;
}

export function reportJson(status: ReplayStatus): string {
  return JSON.stringify(
    { ...status, verdict: replayVerdict(status), counts: countOutcomes(status) },
    null,
    2,
  );
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}
th{background:#f4f6f9}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#556}dd{margin:0}
code,pre{font:12px/1.4 ui-monospace,monospace}.v{font-weight:600;padding:.3rem .7rem;border-radius:.4rem;display:inline-block}
.passed,.matched{color:#17663a;background:#e7f6ec}.differences,.differed,.unexpected{color:#7a4d00;background:#fff4de}
.failed,.missing,.timed-out,.incomplete{color:#9b1c1c;background:#fdecec}`;

const short = (v: unknown): string => {
  if (v === undefined) return '–';
  const s = JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}…` : s;
};

export function reportHtml(status: ReplayStatus): string {
  const verdict = replayVerdict(status);
  const title = status.label?.kind === 'diff' ? 'Capture comparison' : 'Replay report';
  const label = labelLines(status)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  const rows = status.report
    .map((i) => {
      const diffs = i.diffs
        .map(
          (d) => `<div><code>${esc(d.path)}</code> ${esc(short(d.recorded))} → ${esc(short(d.live))}</div>`,
        )
        .join('');
      return `<tr><td>${i.index + 1}</td><td>${esc(i.action)}${i.messageId ? `<br><code>${esc(i.messageId)}</code>` : ''}</td><td><span class="v ${i.outcome}">${i.outcome}</span></td><td>${diffs || '–'}</td></tr>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(title)}</h1><p><span class="v ${verdict}">${esc(VERDICT_TEXT[verdict])}</span> ${esc(summaryLine(status))}</p>
<dl>${label}</dl>
<table><thead><tr><th>#</th><th>Action</th><th>Outcome</th><th>Differences (${status.label?.kind === 'diff' ? 'first → second' : 'recorded → live'})</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>
`;
}
