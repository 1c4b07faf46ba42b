import type { EndpointStatus } from '../../../shared/api';
import { useStoreInstance } from '../state/hooks';
import { CopyButton } from './common';

/**
 * The local CA the endpoint presents: its SHA-256 fingerprint (to compare with what the charger shows after the CA
 * was installed there) and an explicit Regenerate, which asks first because chargers that trust the old CA stop
 * connecting.
 */
export function CaInfo({ endpoint }: { endpoint: EndpointStatus }) {
  const store = useStoreInstance();
  if (!endpoint.caFingerprint) return null;
  const regenerate = () => {
    const sure = window.confirm(
      'Make a new local CA? Chargers that have the current CA installed will refuse the endpoint until the new one is installed.',
    );
    if (!sure) return;
    void store.run('Making a new local CA', async () => {
      store.set({ endpoint: await store.api.regenerateCa() });
      store.toast('A new local CA is in use: install it in the chargers.', 'info');
    });
  };
  return (
    <div className="ca-info" data-testid="ca-info" style={{ fontSize: 12, marginTop: 6 }}>
      <div className="muted">Local CA, SHA-256 fingerprint (kept across restarts):</div>
      <div className="url-row">
        <code data-testid="ca-fingerprint" title={endpoint.caFingerprint}>
          {endpoint.caFingerprint}
        </code>
        <CopyButton text={endpoint.caFingerprint} />
        <button type="button" className="btn small ghost" data-testid="ca-regenerate" onClick={regenerate}>
          Regenerate…
        </button>
      </div>
    </div>
  );
}
