import type { ConnectionStatus } from '../../../shared/api';
import { OCPP_VERSIONS, type OcppVersion } from '../../../shared/ocpp/versions';
import { useStore, useStoreInstance } from '../state/hooks';
import type { EditorMarker } from './monaco-editor';

export interface ComposerToolbarProps {
  open: ConnectionStatus[];
  target: ConnectionStatus | undefined;
  injectTo: 'station' | 'csms';
  onInjectTo: (to: 'station' | 'csms') => void;
  manualVersion: OcppVersion;
  onManualVersion: (v: OcppVersion) => void;
  freshId: boolean;
  onFreshId: (on: boolean) => void;
  markers: EditorMarker[];
  typeName: string;
  sending: boolean;
  onSend: () => void;
}

/** Where the frame goes (connection, proxy leg, version), whether its id is renewed, how it checks, and Send. */
export function ComposerToolbar(p: ComposerToolbarProps) {
  const store = useStoreInstance();
  const releasing = useStore((s) => s.composer.releasing);
  const { target } = p;
  return (
    <div className="composer-toolbar">
      <span className="muted">To</span>
      <select
        className="input"
        data-testid="composer-target"
        value={target?.id ?? ''}
        onChange={(e) => store.set({ selectedConnection: e.target.value || undefined })}
        style={{ maxWidth: 220 }}
      >
        {p.open.length === 0 && <option value="">no open connection</option>}
        {p.open.map((c) => (
          <option key={c.id} value={c.id}>
            {c.identity} ({c.role === 'station' ? 'as station' : c.role === 'proxy' ? 'proxied' : 'charger'})
          </option>
        ))}
      </select>
      {target?.role === 'proxy' && !releasing && (
        <select
          className="input"
          data-testid="composer-inject-to"
          value={p.injectTo}
          onChange={(e) => p.onInjectTo(e.target.value as 'station' | 'csms')}
          title="Which leg of the proxied connection gets the frame"
        >
          <option value="station">to the charger</option>
          <option value="csms">to the upstream CSMS</option>
        </select>
      )}
      {target?.version ? (
        <span className="badge accent" data-testid="composer-version">
          OCPP {target.version}
        </span>
      ) : (
        <select
          className="input"
          value={p.manualVersion}
          onChange={(e) => p.onManualVersion(e.target.value as OcppVersion)}
          title="No negotiated version: pick the schemas to check against"
        >
          {OCPP_VERSIONS.map((v) => (
            <option key={v} value={v}>
              OCPP {v}
            </option>
          ))}
        </select>
      )}
      <label
        className="check"
        title="Replace the message id of a CALL or SEND with a fresh UUID when sending"
      >
        <input type="checkbox" checked={p.freshId} onChange={(e) => p.onFreshId(e.target.checked)} /> fresh id
      </label>
      <span className="grow" />
      <CheckStatus markers={p.markers} typeName={p.typeName} />
      <button
        type="button"
        className="btn primary"
        data-testid="composer-send"
        disabled={p.sending || !target}
        onClick={p.onSend}
        title="Send (Ctrl+Enter)"
      >
        Send {p.typeName}{' '}
        <kbd style={{ background: 'transparent', color: 'inherit', borderColor: 'currentColor' }}>⌃↵</kbd>
      </button>
    </div>
  );
}

/** The editor's verdict on the text: valid, or how many errors / warnings (it sends anyway). */
function CheckStatus({ markers, typeName }: { markers: EditorMarker[]; typeName: string }) {
  const errors = markers.filter((m) => m.severity === 'error').length;
  const warnings = markers.length - errors;
  return (
    <span className="muted" data-testid="composer-check">
      {errors + warnings === 0 ? (
        <span className="ok-text">✓ valid {typeName}</span>
      ) : (
        <span className={errors > 0 ? 'error-text' : 'warn-text'}>
          {errors > 0
            ? `${errors} error${errors > 1 ? 's' : ''}`
            : `${warnings} warning${warnings > 1 ? 's' : ''}`}{' '}
          (sends anyway)
        </span>
      )}
    </span>
  );
}
