import type { EndpointSettings } from '../../../shared/api';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import { useStore, useStoreInstance } from '../state/hooks';
import { CaInfo } from './ca-info';
import { CopyButton } from './common';

export function EndpointPanel() {
  const store = useStoreInstance();
  const endpoint = useStore((s) => s.endpoint);
  const settings = useStore((s) => s.settings);
  const ep: EndpointSettings = settings?.endpoint ?? defaultEndpointSettings();
  const start = () =>
    store.run('Starting the endpoint', async () => {
      const status = await store.api.startEndpoint(ep);
      store.set({ endpoint: status });
      if (status.error) store.toast(status.error, 'error');
    });
  const stop = () =>
    store.run('Stopping the endpoint', async () => store.set({ endpoint: await store.api.stopEndpoint() }));

  return (
    <div className="section" data-testid="endpoint-panel">
      <div className="section-head">
        <span className={`dot ${endpoint.running ? 'ok' : endpoint.error ? 'error' : ''}`} />
        <span className="section-title">Endpoint (CSMS)</span>
        <button
          type="button"
          className="btn small ghost"
          data-testid="endpoint-settings"
          title="Endpoint settings"
          onClick={() => store.set({ settingsOpen: true })}
        >
          Settings
        </button>
      </div>
      <div className="row" style={{ marginBottom: 8 }}>
        <span className="grow" data-testid="endpoint-state">
          {endpoint.running ? (
            <>
              Listening on port <b className="mono">{endpoint.port}</b>
            </>
          ) : (
            <span className="muted">Stopped</span>
          )}
        </span>
        {endpoint.running ? (
          <button type="button" className="btn small" data-testid="endpoint-stop" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="button" className="btn small primary" data-testid="endpoint-start" onClick={start}>
            Start
          </button>
        )}
      </div>
      {endpoint.error && (
        <div className="error-text" data-testid="endpoint-error" style={{ fontSize: 12, marginBottom: 6 }}>
          {endpoint.error}
        </div>
      )}
      {endpoint.running ? (
        <>
          <div className="muted" style={{ fontSize: 12 }}>
            Point the charger at one of these URLs (add its identity at the end):
          </div>
          {endpoint.urls.map((url) => (
            <div className="url-row" key={url} data-testid="endpoint-url">
              <code title={url}>{url}</code>
              <CopyButton text={url} />
            </div>
          ))}
          <div className="row wrap" style={{ marginTop: 6 }}>
            {ep.protocols.map((p) => (
              <span key={p} className="badge accent">
                OCPP {p}
              </span>
            ))}
            <span className="badge">profile {ep.securityProfile}</span>
            {ep.upstream && (
              <span
                className="badge warn"
                title={`Every charger is forwarded to ${ep.upstream.url}/<identity>`}
              >
                proxy → {hostOf(ep.upstream.url)}
              </span>
            )}
            {endpoint.caCertificatePem && (
              <button
                type="button"
                className="btn small"
                onClick={() => download('ocpp-scope-local-ca.pem', endpoint.caCertificatePem ?? '')}
              >
                Download CA
              </button>
            )}
          </div>
          <CaInfo endpoint={endpoint} />
        </>
      ) : (
        <div className="empty">
          Start the endpoint to let chargers connect to this computer as if it were their CSMS. Port{' '}
          <b>{ep.port === 0 ? 'any free' : ep.port}</b>, OCPP {ep.protocols.join(', ')}.
        </div>
      )}
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function download(name: string, data: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
