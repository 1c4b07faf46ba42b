import type { CaseResult, ReportFrame, RunReport, Verdict } from './scenario-types';
import { escapeHtml } from '../html-escape';
import { countVerdicts, runPassed } from './verdict';

/**
 * A run as one self-contained HTML page for a person: a summary, a verdict table, and for every case that did not
 * pass the failing step (expected, actual) and the case's frames as they crossed the wire, the failing ones marked.
 * No script, no external resource: it opens from a mail attachment or a ticket, offline, under any CSP.
 */

const esc = escapeHtml;

const VERDICT_LABEL: Record<Verdict, string> = {
  passed: 'Passed',
  failed: 'Failed',
  inconclusive: 'Inconclusive',
  skipped: 'Skipped',
};

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#556;margin:0 0 1rem}.meta span{margin-right:1.25rem}
.summary{display:flex;gap:.75rem;margin:1rem 0;flex-wrap:wrap}.summary div{border-radius:.4rem;padding:.4rem .8rem;font-weight:600}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ec;vertical-align:top}
th{background:#f4f6f9;font-weight:600}
.v{font-weight:600;white-space:nowrap}.passed{color:#17663a;background:#e7f6ec}.failed{color:#9b1c1c;background:#fdecec}
.inconclusive{color:#7a4d00;background:#fff4de}.skipped{color:#4a5160;background:#eef0f4}
.case{border:1px solid #e3e6ec;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0}
.case h3{margin:0 0 .5rem;font-size:1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}dt{color:#556}dd{margin:0}
pre,code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-all;margin:0}
.frames td{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.frames tr.hit td{background:#fdecec}
.dir{white-space:nowrap;color:#556}
@media (prefers-color-scheme:dark){body{background:#14171c;color:#dde2ea}th{background:#1f242c}th,td{border-color:#2c323c}
.case{border-color:#2c323c}.meta,dt,.dir{color:#9aa4b2}.frames tr.hit td{background:#3a1c1c}
.passed{background:#16351f;color:#8fe0a8}.failed{background:#3a1c1c;color:#ffb4b4}.inconclusive{background:#3a2e12;color:#ffd58a}.skipped{background:#262b33;color:#c0c6d0}}
`;

function time(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

function framesTable(frames: ReportFrame[], marked: Set<number>): string {
  if (frames.length === 0) return '<p>No frames were exchanged in this case.</p>';
  const rows = frames.map((f) => {
    const dir = f.sender === 'csms' ? 'CSMS &rarr;' : '&larr; Station';
    return `<tr${marked.has(f.seq) ? ' class="hit"' : ''}><td class="dir">${esc(time(f.t))}</td><td class="dir">${dir}</td><td><pre>${esc(f.text)}</pre></td></tr>`;
  });
  return `<table class="frames"><thead><tr><th>Time (UTC)</th><th>From</th><th>Frame as sent</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function caseDetail(c: CaseResult): string {
  const f = c.failure;
  const rows: string[] = [];
  if (f) {
    rows.push(`<dt>Step</dt><dd>${f.step + 1}: ${esc(f.stepText)}</dd>`);
    rows.push(`<dt>Expected</dt><dd>${esc(f.expected)}</dd>`);
    rows.push(`<dt>Actual</dt><dd>${esc(f.actual)}</dd>`);
    if (f.actualFrame !== undefined) rows.push(`<dt>Frame</dt><dd><pre>${esc(f.actualFrame)}</pre></dd>`);
  } else if (c.reason) rows.push(`<dt>Why</dt><dd>${esc(c.reason)}</dd>`);
  if (c.connection) rows.push(`<dt>Connection</dt><dd><code>${esc(c.connection)}</code></dd>`);
  const marked = new Set(f?.seqs ?? []);
  return `<section class="case" id="case-${esc(c.id)}"><h3><span class="v ${c.verdict}">${VERDICT_LABEL[c.verdict]}</span> ${esc(c.title)}${c.octt ? ` <small>(${esc(c.octt)})</small>` : ''}</h3><dl>${rows.join('')}</dl>${framesTable(c.frames, marked)}</section>`;
}

export function htmlReport(report: RunReport): string {
  const n = countVerdicts(report.cases);
  const overall = runPassed(report) ? 'passed' : 'failed';
  const rows = report.cases.map(
    (c) =>
      `<tr><td class="v ${c.verdict}">${VERDICT_LABEL[c.verdict]}</td><td>${c.verdict === 'passed' ? esc(c.id) : `<a href="#case-${esc(c.id)}">${esc(c.id)}</a>`}</td><td>${esc(c.octt ?? '')}</td><td>${esc(c.title)}</td><td>${esc(c.verdict === 'passed' ? '' : (c.reason ?? ''))}</td><td>${(c.durationMs / 1000).toFixed(1)} s</td></tr>`,
  );
  const details = report.cases.filter((c) => c.verdict !== 'passed').map(caseDetail);
  const roleText = report.role === 'csms' ? 'charger under test' : 'CSMS under test';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(report.suite)}: ${overall} (${esc(report.peer)})</title><style>${STYLE}</style></head>
<body>
<h1>${esc(report.suite)}: <span class="v ${overall}">${overall === 'passed' ? 'Passed' : 'Not passed'}</span></h1>
<p class="meta"><span>OCPP ${esc(report.version)}</span><span>${roleText}: <strong>${esc(report.peer)}</strong></span><span>started ${esc(time(report.startedAt))} UTC</span><span>took ${(report.durationMs / 1000).toFixed(1)} s</span><span>${esc(report.tool)}</span></p>
<div class="summary"><div class="passed">${n.passed} passed</div><div class="failed">${n.failed} failed</div><div class="inconclusive">${n.inconclusive} inconclusive</div><div class="skipped">${n.skipped} skipped</div></div>
<table><thead><tr><th>Verdict</th><th>Case</th><th>Test case id</th><th>What it checks</th><th>Why</th><th>Time</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
${details.length ? `<h2>Cases that did not pass</h2>\n${details.join('\n')}` : ''}
<p class="meta">Test case ids name the conformance test case each case corresponds to; the cases are OCPP Scope's own.</p>
</body></html>
`;
}
