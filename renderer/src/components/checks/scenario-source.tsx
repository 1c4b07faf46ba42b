import { BUILT_IN_SUITES } from '../../../../shared/scenario/suites';
import { useStore, useStoreInstance } from '../../state/hooks';
import { scenarioFromConnection } from './scenario-from-connection';
import { NEW_SCENARIO, scenarioText } from './use-scenario-draft';

/**
 * Where the scenario comes from: a built-in suite, a scenario file, a new one, a copy of the suite to edit, or the
 * recording of the connection selected in the log ("Save recording as scenario").
 */
export function ScenarioSource(props: {
  suiteName: string;
  onSuite: (name: string) => void;
  draftName: string | undefined;
  onLoad: (name: string, text: string) => void;
}) {
  const store = useStoreInstance();
  const selected = useStore((s) => s.connections.find((c) => c.id === s.selectedConnection));
  const liveSource = useStore((s) => s.liveSource);
  const suite = BUILT_IN_SUITES.find((s) => s.name === props.suiteName);

  const fromRecording = () =>
    void store.run('Making a scenario from the recording', async () => {
      if (!selected || !liveSource) return;
      const r = await scenarioFromConnection(store.api, liveSource, selected);
      if ('error' in r) store.toast(r.error, 'error');
      else props.onLoad(r.name, r.text);
    });

  return (
    <>
      <label className="field">
        <span>Suite</span>
        <select
          className="input"
          value={props.draftName !== undefined ? '' : props.suiteName}
          onChange={(e) => props.onSuite(e.target.value)}
          data-testid="check-suite"
        >
          {props.draftName !== undefined && <option value="">{props.draftName} (your scenario)</option>}
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
            if (f) void f.text().then((text) => props.onLoad(f.name, text));
          }}
        />
      </label>
      <div className="row wrap" style={{ marginBottom: 12 }}>
        <button
          type="button"
          className="btn"
          data-testid="scenario-new"
          onClick={() => props.onLoad('my-checks.json', scenarioText(NEW_SCENARIO))}
        >
          New scenario
        </button>
        {suite && props.draftName === undefined && (
          <button
            type="button"
            className="btn"
            data-testid="scenario-edit-suite"
            onClick={() => props.onLoad(`${suite.name}.json`, scenarioText(suite))}
          >
            Edit a copy of this suite
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="scenario-from-connection"
          disabled={!selected || !liveSource}
          title={
            selected
              ? `Save the recording of ${selected.identity || selected.id} as a scenario and edit it`
              : 'Select a connection in the list first'
          }
          onClick={fromRecording}
        >
          Save recording as scenario
        </button>
      </div>
    </>
  );
}
