import { useState } from 'react';
import type { RunReport, ScenarioRole } from '../../../../shared/scenario/scenario-types';
import { htmlReport } from '../../../../shared/scenario/report-html';
import { junitReport } from '../../../../shared/scenario/report-junit';
import { useStore, useStoreInstance } from '../../state/hooks';
import { download } from '../endpoint-panel';

function exportReport(r: RunReport, kind: 'html' | 'junit'): void {
  const stamp = new Date(r.startedAt).toISOString().replace(/[:.]/g, '-');
  if (kind === 'html') download(`${r.suite}-${stamp}.html`, htmlReport(r), 'text/html');
  else download(`${r.suite}-${stamp}.xml`, junitReport(r), 'application/xml');
}

/** Who is under test (a connected charger, or a CSMS URL), prompts on or off, Run / Stop, and the report exports. */
export function CheckRunControls(props: {
  role: ScenarioRole;
  /** What startCheck runs: a built-in suite by name or a scenario's text; undefined while it does not parse. */
  what: { suite: string } | { scenario: string } | undefined;
}) {
  const store = useStoreInstance();
  const check = useStore((s) => s.check);
  const chargers = useStore((s) => s.connections.filter((c) => c.state === 'open' && c.role === 'endpoint'));
  const [conn, setConn] = useState<string>();
  const [url, setUrl] = useState('ws://127.0.0.1:9000/ocpp/CP001');
  const [noPrompt, setNoPrompt] = useState(false);
  const target = props.role === 'csms' ? (conn ?? chargers[0]?.id ?? '') : url;
  const running = check.state === 'running' || check.state === 'connecting';
  const report = check.report;
  const what = props.what;

  const start = () =>
    void store.run('Starting the check', async () => {
      if (!what) return;
      store.set({ check: await store.api.startCheck({ ...what, target, noPrompt }) });
    });
  const stop = () =>
    void store.run('Stopping the check', async () => store.set({ check: await store.api.stopCheck() }));

  return (
    <>
      {props.role === 'csms' ? (
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
          disabled={!what || !target || running}
          onClick={start}
        >
          {check.state === 'idle' ? 'Run' : 'Run again'}
        </button>
        {running && (
          <button type="button" className="btn" data-testid="check-stop" onClick={stop}>
            Stop
          </button>
        )}
        {report &&
          (['html', 'junit'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className="btn"
              data-testid={`check-export-${kind}`}
              onClick={() => exportReport(report, kind)}
            >
              {kind === 'html' ? 'HTML report' : 'JUnit XML'}
            </button>
          ))}
      </div>
    </>
  );
}
