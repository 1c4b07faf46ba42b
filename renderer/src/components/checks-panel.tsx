import { useMemo, useState } from 'react';
import type { CaseProgress, RunReport } from '../../../shared/scenario/scenario-types';
import { parseScenario } from '../../../shared/scenario/parse-scenario';
import { htmlReport } from '../../../shared/scenario/report-html';
import { junitReport } from '../../../shared/scenario/report-junit';
import { BUILT_IN_SUITES } from '../../../shared/scenario/suites';
import { countVerdicts } from '../../../shared/scenario/verdict';
import { useStore, useStoreInstance } from '../state/hooks';
import { CheckPromptDialog } from './check-prompt-dialog';
import { download } from './endpoint-panel';

const TONE: Record<CaseProgress['state'], string> = {
  pending: '',
  running: 'accent',
  passed: 'ok',
  failed: 'error',
  inconclusive: 'warn',
  skipped: '',
};

/**
 * The Checks tab: pick a built-in suite or a scenario file, the charger (or the CSMS URL), run; live progress per
 * case; manual steps as a dialog; a verdict table whose failures jump to their frames in the log; report export.
 */
export function ChecksPanel() {
  const store = useStoreInstance();
  const check = useStore((s) => s.check);
  const chargers = useStore((s) => s.connections.filter((c) => c.state === 'open' && c.role === 'endpoint'));
  const [suiteName, setSuiteName] = useState(BUILT_IN_SUITES[0]!.name);
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [conn, setConn] = useState<string>();
  const [url, setUrl] = useState('ws://127.0.0.1:9000/ocpp/CP001');
  const [noPrompt, setNoPrompt] = useState(false);
  const [hidden, setHidden] = useState<string>();

  const parsed = useMemo(() => (file ? parseScenario(file.text) : undefined), [file]);
  const scenario = file
    ? parsed?.ok
      ? parsed.scenario
      : undefined
    : BUILT_IN_SUITES.find((s) => s.name === suiteName);
  const role = scenario?.role ?? 'csms';
  const target = role === 'csms' ? (conn ?? chargers[0]?.id ?? '') : url;
  const running = check.state === 'running' || check.state === 'connecting';
  const report = check.report;

  const start = () =>
    void store.run('Starting the check', async () => {
      store.set({
        check: await store.api.startCheck({
          ...(file ? { scenario: file.text } : { suite: suiteName }),
          target,
          noPrompt,
        }),
      });
    });

  const jump = (seqs: readonly number[], connection?: string) => {
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

  const exportReport = (r: RunReport, kind: 'html' | 'junit') => {
    const stamp = new Date(r.startedAt).toISOString().replace(/[:.]/g, '-');
    if (kind === 'html') download(`${r.suite}-${stamp}.html`, htmlReport(r), 'text/html');
    else download(`${r.suite}-${stamp}.xml`, junitReport(r), 'application/xml');
  };

  const counts = countVerdicts(
    check.cases.flatMap((c) =>
      c.state === 'pending' || c.state === 'running' ? [] : [{ verdict: c.state }],
    ),
  );

  return (
    <div className="split" data-testid="checks-panel">
      <div>
        <label className="field">
          <span>Suite</span>
          <select
            className="input"
            value={file ? '' : suiteName}
            onChange={(e) => {
              setFile(undefined);
              setSuiteName(e.target.value);
            }}
            data-testid="check-suite"
          >
            {file && <option value="">{file.name} (your scenario)</option>}
            {BUILT_IN_SUITES.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}: {s.role === 'csms' ? 'test a charger' : 'test a CSMS'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Or a scenario file (JSON, see docs/scenarios.md)</span>
          <input
            type="file"
            accept=".json,application/json"
            data-testid="check-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then((text) => setFile({ name: f.name, text }));
            }}
          />
        </label>
        {parsed && !parsed.ok && (
          <div className="failure" data-testid="check-file-problems">
            {parsed.problems.slice(0, 6).map((p) => (
              <div key={`${p.path}${p.message}`}>
                <span className="mono">{p.path}</span> {p.message}
              </div>
            ))}
          </div>
        )}
        {role === 'csms' ? (
          <label className="field">
            <span>Charger under test</span>
            <select
              className="input"
              value={target}
              onChange={(e) => setConn(e.target.value)}
              data-testid="check-target"
            >
              {chargers.length === 0 && <option value="">no charger connected: start the endpoint</option>}
              {chargers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.identity} ({c.version ?? 'no subprotocol'})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label className="field">
            <span>CSMS URL (ending with the charger identity)</span>
            <input
              className="input mono"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="check-target"
            />
          </label>
        )}
        <label className="check" style={{ marginBottom: 12 }}>
          <input type="checkbox" checked={noPrompt} onChange={(e) => setNoPrompt(e.target.checked)} />
          Nobody at the charger: skip the checks that need a person
        </label>
        <div className="row">
          <button
            type="button"
            className="btn primary"
            data-testid="check-start"
            disabled={!scenario || !target || running}
            onClick={start}
          >
            {check.state === 'idle' ? 'Run' : 'Run again'}
          </button>
          {running && (
            <button
              type="button"
              className="btn"
              data-testid="check-stop"
              onClick={() =>
                void store.run('Stopping the check', async () =>
                  store.set({ check: await store.api.stopCheck() }),
                )
              }
            >
              Stop
            </button>
          )}
          {report && (
            <>
              <button
                type="button"
                className="btn"
                data-testid="check-export-html"
                onClick={() => exportReport(report, 'html')}
              >
                HTML report
              </button>
              <button
                type="button"
                className="btn"
                data-testid="check-export-junit"
                onClick={() => exportReport(report, 'junit')}
              >
                JUnit XML
              </button>
            </>
          )}
        </div>
      </div>
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
            Pick a suite, the charger under test (or a CSMS URL), then <b>Run</b>. Each check gets a verdict;
            a failed one shows what was expected and what came, and a click shows its frames in the log.
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
      {check.prompt && hidden !== check.prompt.id && (
        <CheckPromptDialog prompt={check.prompt} onHide={() => setHidden(check.prompt?.id)} />
      )}
    </div>
  );
}
