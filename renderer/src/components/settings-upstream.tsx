import type { EndpointSettings, UpstreamSettings } from '../../../shared/api';
import { BasicAuthInputs } from './basic-auth-inputs';

export interface UpstreamFieldsProps {
  ep: EndpointSettings;
  setEp: (patch: Partial<EndpointSettings>) => void;
}

/** Proxy mode: whether chargers are forwarded to an upstream CSMS, and how (URL, auth, TLS, holding). */
export function UpstreamFields({ ep, setEp }: UpstreamFieldsProps) {
  const up = ep.upstream;
  const setUp = (patch: Partial<UpstreamSettings>) => setEp({ upstream: { ...up!, ...patch } });
  return (
    <>
      <label className="check" style={{ marginBottom: 10, display: 'flex' }}>
        <input
          type="checkbox"
          data-testid="settings-proxy"
          checked={up !== undefined}
          onChange={(e) =>
            setEp({
              upstream: e.target.checked ? { url: 'wss://csms.example.com/ocpp', hold: {} } : undefined,
            })
          }
        />
        Proxy: forward each charger to an upstream CSMS and record both legs
      </label>
      {up && (
        <div className="field" data-testid="settings-upstream">
          <span>Upstream CSMS URL (the charger&apos;s identity is appended)</span>
          <input
            className="input mono"
            data-testid="settings-upstream-url"
            value={up.url}
            onChange={(e) => setUp({ url: e.target.value })}
          />
          <div className="field-row" style={{ marginTop: 6 }}>
            <BasicAuthInputs
              value={up.basicAuth}
              usernamePlaceholder="upstream username (default: the charger's own auth)"
              passwordPlaceholder="upstream password"
              passwordDisabled={!up.basicAuth}
              // Emptying the username drops upstream auth: the charger's own is forwarded again.
              onChange={(auth, edited) =>
                setUp({ basicAuth: edited === 'password' || auth.username ? auth : undefined })
              }
            />
          </div>
          <div className="row wrap" style={{ marginTop: 6 }}>
            <label className="check">
              <input
                type="checkbox"
                checked={up.tls?.allowInsecure ?? false}
                onChange={(e) => setUp({ tls: { ...up.tls, allowInsecure: e.target.checked } })}
              />
              accept any upstream certificate
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={up.hold?.station ?? false}
                onChange={(e) => setUp({ hold: { ...up.hold, station: e.target.checked } })}
              />
              start holding CS → CSMS
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={up.hold?.csms ?? false}
                onChange={(e) => setUp({ hold: { ...up.hold, csms: e.target.checked } })}
              />
              start holding CSMS → CS
            </label>
          </div>
        </div>
      )}
    </>
  );
}
