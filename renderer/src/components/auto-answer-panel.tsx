import { useState } from 'react';
import type { AutoAnswerMode, AutoAnswerPolicy } from '../../../shared/api';
import { actionsOf, type ActionInfo } from '../../../shared/ocpp/actions';
import { ERROR_CODES } from '../../../shared/ocpp/error-codes';
import { OCPP_VERSIONS, type OcppVersion } from '../../../shared/ocpp/versions';
import { examplePayload } from '../composer/schema-catalog';
import { useStore, useStoreInstance } from '../state/hooks';

const MODES: { value: AutoAnswerMode; label: string }[] = [
  { value: 'auto', label: 'Answer automatically (valid example)' },
  { value: 'hold', label: 'Hold: I answer from the composer' },
  { value: 'payload', label: 'Answer with this payload' },
  { value: 'callerror', label: 'Answer with a CALLERROR' },
];

export function AutoAnswerPanel() {
  const store = useStoreInstance();
  const saved = useStore((s) => s.settings?.autoAnswer ?? []);
  const [policies, setPolicies] = useState<AutoAnswerPolicy[]>(saved);
  const [version, setVersion] = useState<OcppVersion>('1.6');
  const [q, setQ] = useState('');
  const [dirty, setDirty] = useState(false);
  // As the endpoint the tool answers what chargers send; as a station, what the CSMS sends.
  const [from, setFrom] = useState<'station' | 'csms'>('station');
  const incoming = (a: ActionInfo): boolean => (a.sender === from || a.sender === 'both') && !a.sendOnly;
  // Policies belong to the role that answers: one for chargers on the endpoint never changes the station's answers.
  const role: 'endpoint' | 'station' = from === 'station' ? 'endpoint' : 'station';
  const sameSlot = (x: AutoAnswerPolicy, p: { version: OcppVersion; action: string }): boolean =>
    x.version === p.version && x.action === p.action && (x.role ?? 'endpoint') === role;
  const roleField = role === 'station' ? { role } : {};
  const actions = actionsOf(version).filter(
    (a) => incoming(a) && a.name.toLowerCase().includes(q.toLowerCase()),
  );
  const policyOf = (action: string): AutoAnswerPolicy =>
    policies.find((p) => sameSlot(p, { version, action })) ?? { version, action, mode: 'auto', ...roleField };
  const update = (p: AutoAnswerPolicy) => {
    setDirty(true);
    setPolicies((list) => [
      ...list.filter((x) => !sameSlot(x, p)),
      ...(p.mode === 'auto' ? [] : [{ ...p, ...roleField }]),
    ]);
  };
  const apply = () =>
    store.run('Applying auto-answer settings', async () => {
      await store.api.setAutoAnswer(policies);
      const settings = store.getState().settings;
      if (settings)
        store.set({ settings: await store.api.saveSettings({ ...settings, autoAnswer: policies }) });
      setDirty(false);
      store.toast('Auto-answer settings applied.', 'ok');
    });
  const holdAll = (mode: AutoAnswerMode) => {
    setDirty(true);
    const names = new Set(
      actionsOf(version)
        .filter(incoming)
        .map((a) => a.name),
    );
    setPolicies((list) => [
      ...list.filter((x) => !(names.has(x.action) && sameSlot(x, { version, action: x.action }))),
      ...(mode === 'auto'
        ? []
        : actionsOf(version)
            .filter(incoming)
            .map((a) => ({ version, action: a.name, mode, ...roleField }))),
    ]);
  };

  return (
    <div className="pane-body" data-testid="auto-answer">
      <div className="row" style={{ marginBottom: 10 }}>
        <select
          className="input"
          value={version}
          onChange={(e) => setVersion(e.target.value as OcppVersion)}
          data-testid="auto-version"
        >
          {OCPP_VERSIONS.map((v) => (
            <option key={v} value={v}>
              OCPP {v}
            </option>
          ))}
        </select>
        <select
          className="input"
          value={from}
          data-testid="auto-from"
          onChange={(e) => setFrom(e.target.value as 'station' | 'csms')}
        >
          <option value="station">Calls from chargers (this tool as the CSMS)</option>
          <option value="csms">Calls from a CSMS (this tool as a station)</option>
        </select>
        <input
          className="input"
          placeholder="Find an action…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="button" className="btn small" onClick={() => holdAll('hold')}>
          Hold all
        </button>
        <button type="button" className="btn small" onClick={() => holdAll('auto')}>
          All automatic
        </button>
        <span className="grow" />
        {dirty && <span className="warn-text">not applied yet</span>}
        <button
          type="button"
          className="btn primary"
          data-testid="auto-apply"
          onClick={() => void apply()}
          disabled={!dirty}
        >
          Apply
        </button>
      </div>
      <div className="muted" style={{ marginBottom: 8 }}>
        How the endpoint answers each CALL a charger sends. Held calls wait in the composer; the charger sees
        no answer until you send one (or its own timeout fires).
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th style={{ width: 240 }}>Action (from the {from === 'station' ? 'charger' : 'CSMS'})</th>
            <th style={{ width: 290 }}>Answer</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => {
            const p = policyOf(a.name);
            return (
              <tr key={a.name} data-testid="auto-row" data-action={a.name}>
                <td>{a.name}</td>
                <td>
                  <select
                    className="input"
                    style={{ width: '100%' }}
                    data-testid="auto-mode"
                    value={p.mode}
                    onChange={async (e) => {
                      const mode = e.target.value as AutoAnswerMode;
                      const payload =
                        mode === 'payload' && !p.payload
                          ? JSON.stringify(await examplePayload(version, a.name, 'response'))
                          : p.payload;
                      update({ ...p, mode, payload, errorCode: p.errorCode ?? 'NotImplemented' });
                    }}
                  >
                    {MODES.map((m) => (
                      <option key={m.value} value={m.value}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {p.mode === 'payload' && (
                    <input
                      className="input mono"
                      style={{ width: '100%' }}
                      value={p.payload ?? ''}
                      placeholder='{"status":"Rejected"}'
                      onChange={(e) => update({ ...p, payload: e.target.value })}
                    />
                  )}
                  {p.mode === 'callerror' && (
                    <div className="row">
                      <select
                        className="input"
                        value={p.errorCode ?? 'NotImplemented'}
                        onChange={(e) => update({ ...p, errorCode: e.target.value })}
                      >
                        {ERROR_CODES[version].map((c) => (
                          <option key={c}>{c}</option>
                        ))}
                      </select>
                      <input
                        className="input grow"
                        placeholder="description"
                        value={p.errorDescription ?? ''}
                        onChange={(e) => update({ ...p, errorDescription: e.target.value })}
                      />
                    </div>
                  )}
                  {p.mode === 'hold' && <span className="muted">waits in the composer</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
