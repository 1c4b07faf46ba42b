import { useState } from 'react';
import type { ReplayItemOutcome, ReplayReportItem, ReplayStatus } from '../../../../shared/api';
import {
  countOutcomes,
  labelLines,
  OUTCOMES,
  replayVerdict,
  reportFileName,
  reportHtml,
  reportJson,
  VERDICT_TEXT,
} from '../../../../shared/capture/replay-report';
import { formatDateTime } from '../../logic/format';
import { useStoreInstance } from '../../state/hooks';
import { saveText } from '../save-text';

export const OUTCOME_TONE: Record<ReplayItemOutcome, string> = {
  matched: 'ok',
  differed: 'warn',
  missing: 'error',
  unexpected: 'warn',
  'timed-out': 'error',
};

const VERDICT_TONE = { passed: 'ok', differences: 'warn', failed: 'error', incomplete: '' } as const;

function short(v: unknown): string {
  if (v === undefined) return '–';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/**
 * A labelled replay or diff report: what was compared with what and when, the verdict, counts, the exchanges with
 * their differences, and export as HTML or JSON. `prefix` names its test ids (replay-…, diff-…).
 */
export function ReportView({ status, prefix }: { status: ReplayStatus; prefix: 'replay' | 'diff' }) {
  const store = useStoreInstance();
  const [onlyProblems, setOnlyProblems] = useState(false);
  const verdict = replayVerdict(status);
  const counts = countOutcomes(status);
  const rows = onlyProblems ? status.report.filter((r) => r.outcome !== 'matched') : status.report;
  const save = (ext: 'html' | 'json') =>
    void saveText(
      store,
      reportFileName(status, ext),
      ext === 'html' ? reportHtml(status) : reportJson(status),
      ext === 'html' ? 'text/html' : 'application/json',
    ).then((where) => where && store.toast(`Report saved: ${where}`, 'ok'));
  const finished = status.state === 'done' || status.state === 'failed';
  return (
    <div data-testid={`${prefix}-report-view`}>
      {status.label && (
        <dl className="report-label" data-testid={`${prefix}-label`}>
          {labelLines(status).map(([k, v]) => (
            <div key={k}>
              <dt className="muted">{k}</dt>
              <dd className={k === 'Started' || k === 'Finished' ? 'mono' : undefined}>
                {k === 'Started' || k === 'Finished' ? formatDateTime(Date.parse(v)) : v}
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="row wrap" style={{ marginBottom: 8 }} data-testid={`${prefix}-summary`}>
        {finished && (
          <span
            className={`badge ${VERDICT_TONE[verdict]}`}
            data-testid={`${prefix}-verdict`}
            data-verdict={verdict}
          >
            {VERDICT_TEXT[verdict]}
          </span>
        )}
        {OUTCOMES.filter((o) => counts[o] > 0).map((o) => (
          <span key={o} className={`badge ${OUTCOME_TONE[o]}`}>
            {counts[o]} {o}
          </span>
        ))}
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
          only differences
        </label>
        <button
          type="button"
          className="btn small"
          data-testid={`${prefix}-export-html`}
          onClick={() => save('html')}
        >
          Export HTML
        </button>
        <button
          type="button"
          className="btn small"
          data-testid={`${prefix}-export-json`}
          onClick={() => save('json')}
        >
          JSON
        </button>
      </div>
      <ReportTable rows={rows} prefix={prefix} diff={status.label?.kind === 'diff'} />
    </div>
  );
}

function ReportTable({ rows, prefix, diff }: { rows: ReplayReportItem[]; prefix: string; diff: boolean }) {
  return (
    <table className="grid" data-testid={`${prefix}-report`}>
      <thead>
        <tr>
          <th>#</th>
          <th>Action</th>
          <th>Outcome</th>
          <th>Differences ({diff ? 'first → second' : 'recorded → live'})</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.index} data-testid={`${prefix}-item`} data-outcome={r.outcome}>
            <td className="mono">{r.index + 1}</td>
            <td>
              {r.action}
              {r.messageId && (
                <div className="muted mono" style={{ fontSize: 11 }}>
                  {r.messageId}
                </div>
              )}
            </td>
            <td>
              <span className={`badge ${OUTCOME_TONE[r.outcome]}`}>{r.outcome}</span>
            </td>
            <td className="mono" style={{ fontSize: 11 }}>
              {r.diffs.length === 0
                ? '–'
                : r.diffs.slice(0, 6).map((d, i) => (
                    <div key={i}>
                      <span className="muted">{d.path || '/'}</span> {short(d.recorded)} → {short(d.live)}
                    </div>
                  ))}
              {r.diffs.length > 6 && <div className="muted">and {r.diffs.length - 6} more</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
