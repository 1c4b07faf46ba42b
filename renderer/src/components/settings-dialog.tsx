import { useState } from 'react';
import type { AppSettings, EndpointSettings } from '../../../shared/api';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { useStore, useStoreInstance } from '../state/hooks';
import { Dialog } from './common';
import { passwordsToText, textToPasswords, useSettingsSave } from './settings-save';
import { SecurityFields } from './settings-security';
import { UpstreamFields } from './settings-upstream';
import { VersionChecks } from './station-form';

export function SettingsDialog() {
  const store = useStoreInstance();
  const current = useStore((s) => s.settings);
  const [app, setApp] = useState<AppSettings>(() => current ?? defaultAppSettings());
  const [passwords, setPasswords] = useState(() => passwordsToText(app.endpoint.passwords));
  const ep = app.endpoint;
  const setEp = (patch: Partial<EndpointSettings>) => setApp({ ...app, endpoint: { ...ep, ...patch } });
  const close = () => store.set({ settingsOpen: false });
  const portValid = Number.isInteger(ep.port) && ep.port >= 0 && ep.port <= 65535;
  const { save: saveSettings, busy, running } = useSettingsSave(close);
  const save = (restart: boolean) =>
    saveSettings({ ...app, endpoint: { ...ep, passwords: textToPasswords(passwords) } }, restart);

  return (
    <Dialog
      title="Endpoint settings"
      onClose={close}
      testId="settings-dialog"
      actions={[
        {
          label: 'Save',
          testId: 'settings-save',
          disabled: busy || !portValid,
          onClick: () => void save(false),
        },
        {
          label: running ? 'Save and restart' : 'Save and start',
          testId: 'settings-save-start',
          primary: true,
          disabled: busy || !portValid,
          onClick: () => void save(true),
        },
      ]}
    >
      <div className="field-row">
        <label className="field" style={{ width: 120 }}>
          <span>Port (0 = any free)</span>
          <input
            className="input mono"
            data-testid="settings-port"
            inputMode="numeric"
            value={String(ep.port)}
            onChange={(e) => setEp({ port: Number(e.target.value.replace(/\D/g, '') || '0') })}
          />
        </label>
        <label className="field grow">
          <span>Listen on</span>
          <select
            className="input"
            data-testid="settings-host"
            value={ep.host}
            onChange={(e) => setEp({ host: e.target.value })}
          >
            <option value="0.0.0.0">All interfaces (chargers on the LAN)</option>
            <option value="127.0.0.1">This computer only (127.0.0.1)</option>
          </select>
        </label>
      </div>
      <div className="field">
        <span>Versions accepted (the charger's first offered one that is ticked wins)</span>
        <VersionChecks name="endpoint" value={ep.protocols} onChange={(protocols) => setEp({ protocols })} />
      </div>
      <label className="field">
        <span>A charger that offers no subprotocol we speak</span>
        <select
          className="input"
          value={ep.unknownProtocol}
          onChange={(e) => setEp({ unknownProtocol: e.target.value as EndpointSettings['unknownProtocol'] })}
        >
          <option value="accept">Accept it anyway, and show what it offered (diagnosis)</option>
          <option value="refuse">Refuse the upgrade, as a strict CSMS would</option>
        </select>
      </label>
      <SecurityFields ep={ep} setEp={setEp} passwords={passwords} setPasswords={setPasswords} />
      <UpstreamFields ep={ep} setEp={setEp} />
      <div className="field-row">
        <label className="field grow">
          <span>Ping every (s, 0 = off)</span>
          <input
            className="input"
            inputMode="numeric"
            value={String(ep.pingIntervalSec)}
            onChange={(e) => setEp({ pingIntervalSec: Number(e.target.value.replace(/\D/g, '') || '0') })}
          />
        </label>
        <label className="field grow">
          <span>CALL timeout (s)</span>
          <input
            className="input"
            inputMode="numeric"
            value={String(ep.callTimeoutSec)}
            onChange={(e) => setEp({ callTimeoutSec: Number(e.target.value.replace(/\D/g, '') || '0') })}
          />
        </label>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={app.recordByDefault}
          onChange={(e) => setApp({ ...app, recordByDefault: e.target.checked })}
        />
        Record every session to disk from the start
      </label>
      {!portValid && <div className="error-text mt">The port must be a number from 0 to 65535.</div>}
    </Dialog>
  );
}
