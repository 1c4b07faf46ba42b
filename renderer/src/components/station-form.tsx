import { useState } from 'react';
import type { StationSettings } from '../../../shared/api';
import { defaultStationSettings } from '../../../shared/api-defaults';
import { OCPP_VERSIONS, type OcppVersion } from '../../../shared/ocpp/versions';
import { useStore, useStoreInstance } from '../state/hooks';
import { BasicAuthInputs } from './basic-auth-inputs';
import { checkStationUrl } from '../logic/station-url';
import { Dialog } from './common';
import { HeadersEditor } from './headers-editor';
import { SimulatorFields } from './simulator-fields';

export function VersionChecks(props: {
  value: OcppVersion[];
  onChange: (v: OcppVersion[]) => void;
  name: string;
}) {
  return (
    <div className="row">
      {OCPP_VERSIONS.map((v) => (
        <label key={v} className="check">
          <input
            type="checkbox"
            data-testid={`${props.name}-version-${v}`}
            checked={props.value.includes(v)}
            onChange={(e) =>
              props.onChange(
                e.target.checked
                  ? OCPP_VERSIONS.filter((x) => x === v || props.value.includes(x))
                  : props.value.filter((x) => x !== v),
              )
            }
          />
          OCPP {v}
        </label>
      ))}
    </div>
  );
}

export function StationForm() {
  const store = useStoreInstance();
  const saved = useStore((s) => s.settings?.station);
  const [st, setSt] = useState<StationSettings>(() => saved ?? defaultStationSettings());
  const [auth, setAuth] = useState(Boolean(saved?.basicAuth));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const close = () => store.set({ stationFormOpen: false });
  const [extrasOk, setExtrasOk] = useState(true);
  const check = checkStationUrl(st.url, st.protocols);
  const valid = check.problem === undefined && (!st.simulator || extrasOk);

  const connect = async () => {
    setBusy(true);
    setError(undefined);
    const headers = (st.headers ?? []).filter(([name]) => name.trim() !== '');
    const settings: StationSettings = {
      ...st,
      basicAuth: auth ? st.basicAuth : undefined,
      headers: headers.length > 0 ? headers : undefined,
    };
    try {
      const { connectionId } = await store.api.connectStation(settings);
      const current = store.getState().settings;
      if (current) store.set({ settings: { ...current, station: settings } });
      store.set({ selectedConnection: connectionId, stationFormOpen: false });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Connect as a charging station"
      onClose={close}
      testId="station-form"
      actions={[
        {
          label: busy ? 'Connecting…' : 'Connect',
          testId: 'station-connect',
          primary: true,
          disabled: !valid || busy,
          onClick: () => void connect(),
        },
      ]}
    >
      <label className="field">
        <span>CSMS URL, ending with the charge point identity</span>
        <input
          className="input mono"
          data-testid="station-url"
          value={st.url}
          placeholder="wss://csms.example.com/ocpp/CP001"
          onChange={(e) => setSt({ ...st, url: e.target.value })}
          autoFocus
        />
      </label>
      {check.problem && (
        <div
          className="error-text"
          data-testid="station-url-problem"
          style={{ fontSize: 12, marginBottom: 8 }}
        >
          {check.problem}
        </div>
      )}
      {check.warning && (
        <div
          className="warn-text"
          data-testid="station-url-warning"
          style={{ fontSize: 12, marginBottom: 8 }}
        >
          {check.warning}
        </div>
      )}
      <div className="field">
        <span>Versions offered (in this order)</span>
        <VersionChecks
          name="station"
          value={st.protocols}
          onChange={(protocols) => setSt({ ...st, protocols })}
        />
      </div>
      <SimulatorFields
        value={st.simulator}
        versions={st.protocols}
        caFile={st.tls?.caFile}
        onChange={(simulator) => setSt({ ...st, simulator })}
        onValidity={setExtrasOk}
      />
      <label className="check" style={{ marginBottom: 10 }}>
        <input type="checkbox" checked={auth} onChange={(e) => setAuth(e.target.checked)} /> HTTP Basic auth
        (security profile 1 and 2)
      </label>
      {auth && (
        <div className="field-row field">
          <BasicAuthInputs
            value={st.basicAuth}
            usernamePlaceholder="username (the identity)"
            passwordPlaceholder="password"
            onChange={(basicAuth) => setSt({ ...st, basicAuth })}
          />
        </div>
      )}
      <div className="field">
        <span>TLS files (wss://): paths on the machine running the engine</span>
        <div className="field-row">
          {(['caFile', 'certFile', 'keyFile'] as const).map((k) => (
            <input
              key={k}
              className="input grow mono"
              placeholder={{ caFile: 'CA (PEM)', certFile: 'client cert', keyFile: 'client key' }[k]}
              value={st.tls?.[k] ?? ''}
              onChange={(e) => setSt({ ...st, tls: { ...st.tls, [k]: e.target.value || undefined } })}
            />
          ))}
        </div>
        <label className="check" style={{ marginTop: 6 }}>
          <input
            type="checkbox"
            checked={st.tls?.allowInsecure ?? false}
            onChange={(e) => setSt({ ...st, tls: { ...st.tls, allowInsecure: e.target.checked } })}
          />
          Accept any server certificate (recorded in the handshake so nobody forgets)
        </label>
      </div>
      <HeadersEditor value={st.headers ?? []} onChange={(headers) => setSt({ ...st, headers })} />
      {error && (
        <div className="failure" data-testid="station-error">
          {error}
        </div>
      )}
    </Dialog>
  );
}
