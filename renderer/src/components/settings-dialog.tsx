import { useState } from 'react';
import type { AppSettings, ConnectionStatus, EndpointSettings, SecurityProfile } from '../../../shared/api';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { useStore, useStoreInstance } from '../state/hooks';
import { BasicAuthInputs } from './basic-auth-inputs';
import { Dialog } from './common';
import { VersionChecks } from './station-form';

const PROFILES: { value: SecurityProfile; label: string }[] = [
  { value: 0, label: '0: plain ws://, no auth (diagnosis)' },
  { value: 1, label: '1: ws:// + HTTP Basic auth' },
  { value: 2, label: '2: wss:// (TLS) + HTTP Basic auth' },
  { value: 3, label: '3: wss:// with client certificates' },
];

function passwordsToText(p: Record<string, string>): string {
  return Object.entries(p)
    .map(([id, pw]) => `${id}=${pw}`)
    .join('\n');
}

function textToPasswords(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

/** Chargers a restart of the endpoint would disconnect (they are connected to it, directly or through the proxy). */
export function connectedToEndpoint(connections: ConnectionStatus[]): string[] {
  return connections
    .filter(
      (c) =>
        (c.role === 'endpoint' || c.role === 'proxy') && (c.state === 'open' || c.state === 'connecting'),
    )
    .map((c) => c.identity ?? c.id);
}

function restartQuestion(identities: string[]): string {
  const names =
    identities.slice(0, 5).join(', ') + (identities.length > 5 ? ` and ${identities.length - 5} more` : '');
  return `Restarting the endpoint disconnects ${identities.length} connected charger(s): ${names}. They will have to reconnect. Restart now?`;
}

export function SettingsDialog() {
  const store = useStoreInstance();
  const current = useStore((s) => s.settings);
  const running = useStore((s) => s.endpoint.running);
  const [app, setApp] = useState<AppSettings>(() => current ?? defaultAppSettings());
  const [passwords, setPasswords] = useState(() => passwordsToText(app.endpoint.passwords));
  const [busy, setBusy] = useState(false);
  const ep = app.endpoint;
  const setEp = (patch: Partial<EndpointSettings>) => setApp({ ...app, endpoint: { ...ep, ...patch } });
  const close = () => store.set({ settingsOpen: false });
  const portValid = Number.isInteger(ep.port) && ep.port >= 0 && ep.port <= 65535;

  const connections = useStore((s) => s.connections);
  const save = async (restart: boolean) => {
    if (restart && running) {
      const dropped = connectedToEndpoint(connections);
      if (dropped.length > 0 && !window.confirm(restartQuestion(dropped))) return;
    }
    setBusy(true);
    const next: AppSettings = { ...app, endpoint: { ...ep, passwords: textToPasswords(passwords) } };
    const saved = await store.run('Saving settings', () => store.api.saveSettings(next));
    if (saved) {
      store.set({ settings: saved });
      if (restart) {
        await store.run('Restarting the endpoint', async () => {
          if (running) await store.api.stopEndpoint();
          store.set({ endpoint: await store.api.startEndpoint(saved.endpoint) });
        });
      }
      close();
    }
    setBusy(false);
  };

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
      <label className="field">
        <span>Security profile</span>
        <select
          className="input"
          data-testid="settings-profile"
          value={ep.securityProfile}
          onChange={(e) => setEp({ securityProfile: Number(e.target.value) as SecurityProfile })}
        >
          {PROFILES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {(ep.securityProfile === 1 || ep.securityProfile === 2) && (
        <>
          <label className="check" style={{ marginBottom: 10, display: 'flex' }}>
            <input
              type="checkbox"
              checked={ep.acceptAnyPassword}
              onChange={(e) => setEp({ acceptAnyPassword: e.target.checked })}
            />
            Accept any password and record what the charger sent
          </label>
          <label className="field">
            <span>Passwords, one per line: identity=password</span>
            <textarea
              className="input mono"
              rows={3}
              value={passwords}
              onChange={(e) => setPasswords(e.target.value)}
              placeholder="CP001=s3cret-key"
            />
          </label>
        </>
      )}
      {ep.securityProfile >= 2 && (
        <div className="field">
          <span>Certificates (paths of PEM files on the machine running the engine)</span>
          <label className="check" style={{ marginBottom: 6 }}>
            <input
              type="checkbox"
              data-testid="settings-generate-ca"
              checked={ep.tls?.generateCertificate ?? false}
              onChange={(e) => setEp({ tls: { ...ep.tls, generateCertificate: e.target.checked } })}
            />
            Generate a local CA and server certificate (install the CA in the charger)
          </label>
          {!ep.tls?.generateCertificate && (
            <div className="field-row">
              {(['certFile', 'keyFile', 'caFile'] as const).map((k) => (
                <input
                  key={k}
                  className="input grow mono"
                  placeholder={{ certFile: 'server cert', keyFile: 'server key', caFile: 'client CA' }[k]}
                  value={ep.tls?.[k] ?? ''}
                  onChange={(e) => setEp({ tls: { ...ep.tls, [k]: e.target.value || undefined } })}
                />
              ))}
            </div>
          )}
        </div>
      )}
      <label className="check" style={{ marginBottom: 10, display: 'flex' }}>
        <input
          type="checkbox"
          data-testid="settings-proxy"
          checked={ep.upstream !== undefined}
          onChange={(e) =>
            setEp({
              upstream: e.target.checked ? { url: 'wss://csms.example.com/ocpp', hold: {} } : undefined,
            })
          }
        />
        Proxy: forward each charger to an upstream CSMS and record both legs
      </label>
      {ep.upstream && (
        <div className="field" data-testid="settings-upstream">
          <span>Upstream CSMS URL (the charger&apos;s identity is appended)</span>
          <input
            className="input mono"
            data-testid="settings-upstream-url"
            value={ep.upstream.url}
            onChange={(e) => setEp({ upstream: { ...ep.upstream!, url: e.target.value } })}
          />
          <div className="field-row" style={{ marginTop: 6 }}>
            <BasicAuthInputs
              value={ep.upstream.basicAuth}
              usernamePlaceholder="upstream username (default: the charger's own auth)"
              passwordPlaceholder="upstream password"
              passwordDisabled={!ep.upstream.basicAuth}
              // Emptying the username drops upstream auth: the charger's own is forwarded again.
              onChange={(auth, edited) =>
                setEp({
                  upstream: {
                    ...ep.upstream!,
                    basicAuth: edited === 'password' || auth.username ? auth : undefined,
                  },
                })
              }
            />
          </div>
          <div className="row wrap" style={{ marginTop: 6 }}>
            <label className="check">
              <input
                type="checkbox"
                checked={ep.upstream.tls?.allowInsecure ?? false}
                onChange={(e) =>
                  setEp({
                    upstream: {
                      ...ep.upstream!,
                      tls: { ...ep.upstream!.tls, allowInsecure: e.target.checked },
                    },
                  })
                }
              />
              accept any upstream certificate
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={ep.upstream.hold?.station ?? false}
                onChange={(e) =>
                  setEp({
                    upstream: { ...ep.upstream!, hold: { ...ep.upstream!.hold, station: e.target.checked } },
                  })
                }
              />
              start holding CS → CSMS
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={ep.upstream.hold?.csms ?? false}
                onChange={(e) =>
                  setEp({
                    upstream: { ...ep.upstream!, hold: { ...ep.upstream!.hold, csms: e.target.checked } },
                  })
                }
              />
              start holding CSMS → CS
            </label>
          </div>
        </div>
      )}
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
