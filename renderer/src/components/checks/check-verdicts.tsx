import type { CheckStatus, CaseProgress } from '../../../../shared/scenario/scenario-types';
import { countVerdicts } from '../../../../shared/scenario/verdict';
import { useStoreInstance } from '../../state/hooks';

const TONE: Record<CaseProgress['state'], string> = {
  pending: '',
  running: 'accent',
  passed: 'ok',
  failed: 'error',
  inconclusive: 'warn',
  skipped: '',
};

/** Shows frames of a case in the live log (the failed step's when there are some). */
function useJump() {
  const store = useStoreInstance();
  return (seqs: readonly number[], connection?: string) => {
    const live = store.getState().liveSource;
    if (!live) return;
    const log = store.liveLog(live);
    const e = [...seqs]
      .reverse()
      .map((s) => log.bySeq(s))
      .find((x) => x !== undefined);
    store.setActiveSource(live);
    store.set({ follow: false, ...(connection ? { selectedConnection: connection } : {}) });
    if (e) store.select(e);
    else store.toast('Those frames are no longer in the live log (it keeps the newest only).', 'info');
  };
}

/** Where the run stands: its state, the verdict counts, and a row per case; a click on a failure shows its frames. */
export function CheckVerdicts({ check }: { check: CheckStatus }) {
  const jump = useJump();
  const report = check.report;
  const counts = countVerdicts(
    check.cases.flatMap((c) =>
      c.state === 'pending' || c.state === 'running' ? [] : [{ verdict: c.state }],
    ),
  );
  return (
    <div>
      <div className="row wrap" style={{ marginBottom: 8 }}>
        <span className="badge" data-testid="check-state">
          {check.state}
        </span>
        {check.cases.length > 0 && (
          <span data-testid="check-summary">
            <span className="badge ok">{counts.passed} passed</span>{' '}
            <span className="badge error">{counts.failed} failed</span>{' '}
            <span className="badge warn">{counts.inconclusive} inconclusive</span>{' '}
            <span className="badge">{counts.skipped} skipped</span>
          </span>
        )}
      </div>
      {check.error && <div className="failure">{check.error}</div>}
      {check.cases.length === 0 ? (
        <div className="empty">
          Pick a suite, the charger under test (or a CSMS URL), then <b>Run</b>. Each check gets a verdict; a
          failed one shows what was expected and what came, and a click shows its frames in the log.
        </div>
      ) : (
        <table className="grid" data-testid="check-table">
          <thead>
            <tr>
              <th>Verdict</th>
              <th>Check</th>
              <th>Test case</th>
              <th>What happened</th>
            </tr>
          </thead>
          <tbody>
            {check.cases.map((c) => {
              const result = report?.cases.find((r) => r.id === c.id);
              const jumpable = result && result.verdict !== 'passed' && result.seqs.length > 0;
              return (
                <tr
                  key={c.id}
                  data-testid="check-case"
                  data-case={c.id}
                  data-state={c.state}
                  style={jumpable ? { cursor: 'pointer' } : undefined}
                  title={jumpable ? 'Show the frames of this check in the log' : undefined}
                  onClick={() => {
                    if (jumpable)
                      jump(
                        result.failure?.seqs.length ? result.failure.seqs : result.seqs,
                        result.connection,
                      );
                  }}
                >
                  <td>
                    <span className={`badge ${TONE[c.state]}`}>{c.state}</span>
                  </td>
                  <td>
                    {c.title}
                    {c.manual && <span className="muted"> (needs a person)</span>}
                  </td>
                  <td className="mono">{c.octt ?? ''}</td>
                  <td style={{ fontSize: 12 }}>
                    {result?.failure ? (
                      <>
                        <div>
                          <span className="muted">expected</span> {result.failure.expected}
                        </div>
                        <div>
                          <span className="muted">got</span> {result.failure.actual}
                        </div>
                      </>
                    ) : (
                      (c.detail ?? '')
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
