import type { SendResult } from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { formatTime } from '../logic/format';
import { prettyFrame } from '../logic/templates';
import { useStore, useStoreInstance } from '../state/hooks';
import type { SentEntry } from './history';
import type { EditorMarker } from './monaco-editor';

export type SummaryTab = 'check' | 'held' | 'history';

/** The composer's right column: what the schema check says, what waits for an answer, and what was sent. */
export function ComposerSummary(props: {
  tab: SummaryTab;
  onTab: (tab: SummaryTab) => void;
  markers: EditorMarker[];
  version: OcppVersion;
  lastResult: (SendResult & { error?: string }) | undefined;
  history: SentEntry[];
}) {
  const store = useStoreInstance();
  const held = useStore((s) => s.held);
  const heldFrames = useStore((s) => s.heldFrames);
  const { tab: sideTab, onTab: setSideTab, markers, version, lastResult, history } = props;
  return (
    <div className="composer-summary" data-testid="composer-summary">
      <div className="row" style={{ marginBottom: 8 }}>
        {(['check', 'held', 'history'] as const).map((t) => (
          <button
            key={t}
            type="button"
            className={`chip${sideTab === t ? ' active' : ''}`}
            data-testid={`composer-tab-${t}`}
            onClick={() => setSideTab(t)}
          >
            {t === 'check' ? 'Check' : t === 'held' ? `Held ${held.length + heldFrames.length}` : 'History'}
          </button>
        ))}
      </div>
      {sideTab === 'check' && (
        <>
          {markers.length === 0 ? (
            <div className="muted">
              No problems against the OCPP {version} schema. <kbd>Ctrl</kbd>+<kbd>Space</kbd> completes
              actions, properties and enum values.
            </div>
          ) : (
            markers.map((m, i) => (
              <div key={i} className={`finding ${m.severity}`} data-testid="composer-marker">
                <div>
                  {m.message}
                  <div className="muted">
                    line {m.line}, column {m.column}
                  </div>
                </div>
              </div>
            ))
          )}
          {lastResult && (
            <>
              <div className="block-title">Last send</div>
              {lastResult.error ? (
                <div className="finding error">{lastResult.error}</div>
              ) : (
                <div data-testid="composer-result">
                  <div className="muted">
                    sent as event #{lastResult.seq}
                    {lastResult.messageId ? ` · id ${lastResult.messageId}` : ''}
                  </div>
                  {lastResult.findings.map((f, i) => (
                    <div key={i} className={`finding ${f.severity}`}>
                      <div>
                        {f.message}
                        {f.path && <div className="muted mono">{f.path}</div>}
                      </div>
                    </div>
                  ))}
                </div>
              )}
            </>
          )}
        </>
      )}
      {sideTab === 'held' && heldFrames.length > 0 && (
        <>
          <div className="block-title">Held in the proxy</div>
          {heldFrames.map((f) => (
            <div key={`${f.connectionId}/${f.seq}`} className="history-item" data-testid="held-frame">
              <div className="row">
                <b className="grow">{store.connectionLabel(f.connectionId)}</b>
                <span className="muted">{f.from === 'station' ? 'CS → CSMS' : 'CSMS → CS'}</span>
              </div>
              <div
                className="mono muted"
                style={{ fontSize: 11, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
              >
                {f.text}
              </div>
              <div className="row" style={{ marginTop: 4 }}>
                <button
                  type="button"
                  className="btn small"
                  data-testid="held-frame-forward"
                  onClick={() =>
                    void store.run('Forwarding', () => store.api.releaseHeld(f.connectionId, f.seq))
                  }
                >
                  Forward
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid="held-frame-edit"
                  onClick={() =>
                    store.compose(
                      f.text,
                      { releasing: { connectionId: f.connectionId, seq: f.seq, from: f.from } },
                      f.connectionId,
                    )
                  }
                >
                  Edit…
                </button>
                <button
                  type="button"
                  className="btn small danger"
                  data-testid="held-frame-drop"
                  onClick={() => void store.run('Dropping', () => store.api.dropHeld(f.connectionId, f.seq))}
                >
                  Drop
                </button>
              </div>
            </div>
          ))}
          {held.length > 0 && <div className="block-title">Calls waiting for your answer</div>}
        </>
      )}
      {sideTab === 'held' &&
        (held.length === 0 ? (
          heldFrames.length > 0 ? null : (
            <div className="muted">
              No held calls. Set an action to <b>hold</b> in Auto-answer and its CALLs wait here for your
              answer.
            </div>
          )
        ) : (
          held.map((h) => (
            <div
              key={`${h.connectionId}/${h.messageId}`}
              className="history-item"
              data-testid="held-call"
              onClick={() =>
                store.compose(
                  prettyFrame(h.suggestedResponse),
                  { responseTo: { action: h.action, messageId: h.messageId, held: true } },
                  h.connectionId,
                )
              }
            >
              <b>{h.action}</b> <span className="muted">from {store.connectionLabel(h.connectionId)}</span>
              <div className="mono muted" style={{ fontSize: 11 }}>
                {h.messageId}
              </div>
            </div>
          ))
        ))}
      {sideTab === 'history' &&
        (history.length === 0 ? (
          <div className="muted">Frames you send appear here; click one to edit and send it again.</div>
        ) : (
          history.map((h, i) => (
            <div
              key={i}
              className="history-item"
              data-testid="history-item"
              onClick={() => store.compose(h.text)}
            >
              <div className="row">
                <b className="grow">{h.label}</b>
                <span className="muted mono">{formatTime(h.t)}</span>
              </div>
              <div className="muted" style={{ fontSize: 11 }}>
                to {h.connection}
                {h.findings > 0 ? ` · ${h.findings} finding(s)` : ''}
              </div>
            </div>
          ))
        ))}
    </div>
  );
}
