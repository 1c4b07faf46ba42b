import { useEffect, useMemo, useRef, useState } from 'react';
import type { SendResult } from '../../../shared/api';
import type { ActionInfo } from '../../../shared/ocpp/actions';
import { OCPP_VERSIONS, type OcppVersion } from '../../../shared/ocpp/versions';
import type { MonacoSchema } from '../logic/schema-assembly';
import {
  callErrorTemplate,
  callTemplate,
  freshMessageId,
  guessFrame,
  prettyFrame,
  replaceMessageId,
  sendTemplate,
} from '../logic/templates';
import { useStore, useStoreInstance } from '../state/hooks';
import { MESSAGE_TYPE_NAME } from '../../../shared/ocpp/frame-types';
import { ComposerSummary, type SummaryTab } from './composer-summary';
import { addToHistory, loadHistory, type SentEntry } from './history';
import { TemplateList } from './template-list';
import { COMPOSER_MODEL_URI, MonacoEditor, type EditorHandle, type EditorMarker } from './monaco-editor';
import { composerSchemas, examplePayload, loadOcppData } from './schema-catalog';
import { transferPayload } from './transfer-template';

const startText = (): string => `[2, "${freshMessageId()}", "Heartbeat", {}]`;

function useSchemas(version: OcppVersion, responseAction: string | undefined): MonacoSchema[] | undefined {
  const [schemas, setSchemas] = useState<MonacoSchema[]>();
  useEffect(() => {
    let live = true;
    void loadOcppData().then((d) => {
      if (live) setSchemas(composerSchemas(d, version, COMPOSER_MODEL_URI, responseAction));
    });
    return () => {
      live = false;
    };
  }, [version, responseAction]);
  return schemas;
}

export function Composer() {
  const store = useStoreInstance();
  const composer = useStore((s) => s.composer);
  const theme = useStore((s) => s.theme);
  const connections = useStore((s) => s.connections);
  const selectedConnection = useStore((s) => s.selectedConnection);
  const held = useStore((s) => s.held);
  const [manualVersion, setManualVersion] = useState<OcppVersion>('2.0.1');
  const [markers, setMarkers] = useState<EditorMarker[]>([]);
  const [lastResult, setLastResult] = useState<SendResult & { error?: string }>();
  const [freshId, setFreshId] = useState(true);
  const [history, setHistory] = useState<SentEntry[]>(loadHistory);
  const [sideTab, setSideTab] = useState<SummaryTab>('check');
  const [sending, setSending] = useState(false);
  const editor = useRef<EditorHandle>(undefined);
  const [initialText] = useState(startText);
  const [text, setText] = useState(initialText);

  const open = connections.filter((c) => c.state === 'open');
  const target = connections.find((c) => c.id === selectedConnection) ?? open[0];
  const version: OcppVersion = target?.version ?? manualVersion;
  const ours: 'csms' | 'station' = target?.role === 'station' ? 'station' : 'csms';
  // Proxy: the tool can speak to either leg of a proxied connection.
  const [injectTo, setInjectTo] = useState<'station' | 'csms'>('station');
  const responseAction = composer.responseTo?.action;
  const schemas = useSchemas(version, responseAction);
  const guess = useMemo(() => guessFrame(text), [text]);
  const heldHere = held.find(
    (h) =>
      composer.responseTo?.held &&
      h.messageId === composer.responseTo.messageId &&
      h.connectionId === target?.id,
  );

  // A template, a held call or "edit and resend" put new text in the store: show it in the editor.
  useEffect(() => {
    if (composer.nonce > 0) {
      editor.current?.setValue(composer.text);
      setText(composer.text);
      editor.current?.focus();
    }
  }, [composer.nonce, composer.text]);

  const pick = async (a: ActionInfo | string) => {
    const id = freshMessageId();
    if (a === 'callerror' || a === 'callresulterror') {
      const respondingTo = composer.responseTo?.messageId ?? id;
      store.compose(
        callErrorTemplate(respondingTo, a === 'callerror' ? 4 : 5),
        composer.responseTo ? { responseTo: composer.responseTo } : {},
      );
      return;
    }
    if (typeof a === 'string') return;
    const example = await examplePayload(version, a.name, 'request');
    const payload = await transferPayload(store, a.name, example, target?.identity);
    store.compose(a.sendOnly ? sendTemplate(id, a.name, payload) : callTemplate(id, a.name, payload));
  };

  const send = async () => {
    const current = editor.current?.getValue() ?? text;
    if (!target) {
      store.toast(
        'There is no open connection to send to: start the endpoint and let a charger connect, or connect as a station.',
        'error',
      );
      return;
    }
    const g = guessFrame(current);
    const isRequest = g.type === 2 || g.type === 6;
    const releasing = composer.releasing;
    // An edited held frame keeps its id (the peer waits for it); so does a response.
    const out = freshId && isRequest && !releasing ? replaceMessageId(current, freshMessageId()) : current;
    setSending(true);
    try {
      const answering = composer.responseTo?.held && !isRequest ? composer.responseTo : undefined;
      const result = releasing
        ? await store.api.releaseHeld(releasing.connectionId, releasing.seq, out)
        : answering
          ? await store.api.answerHeld(target.id, answering.messageId, out)
          : target.role === 'proxy'
            ? await store.api.injectFrame(target.id, injectTo, out)
            : await store.api.send(target.id, out);
      if (releasing) store.set({ composer: { ...store.getState().composer, releasing: undefined } });
      setLastResult(result);
      setSideTab('check');
      const label =
        g.type === 2 || g.type === 6 ? `${g.action ?? '?'}` : (MESSAGE_TYPE_NAME[g.type as 3] ?? 'frame');
      setHistory((h) =>
        addToHistory(h, {
          t: Date.now(),
          connection: target.identity,
          label,
          text: out,
          findings: result.findings.length,
        }),
      );
      if (answering) {
        // The next held call, if any, takes the composer; otherwise it stops answering.
        const next = store.getState().held.find((h) => h.messageId !== answering.messageId);
        if (next)
          store.compose(
            prettyFrame(next.suggestedResponse),
            { responseTo: { action: next.action, messageId: next.messageId, held: true } },
            next.connectionId,
          );
        else store.set({ composer: { ...store.getState().composer, responseTo: undefined } });
      }
      store.toast(
        result.findings.length > 0
          ? `Sent, with ${result.findings.length} finding(s): see the summary.`
          : 'Sent.',
        result.findings.length > 0 ? 'info' : 'ok',
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setLastResult({ seq: -1, findings: [], error: message });
      store.toast(`Sending failed: ${message}`, 'error');
    } finally {
      setSending(false);
    }
  };
  const sendRef = useRef(send);
  sendRef.current = send;

  const errors = markers.filter((m) => m.severity === 'error').length;
  const warnings = markers.length - errors;
  const typeName =
    guess.type !== undefined ? (MESSAGE_TYPE_NAME[guess.type as 2] ?? `type ${guess.type}`) : 'frame';

  return (
    <div className="composer" data-testid="composer">
      <TemplateList version={version} ours={ours} onPick={(a) => void pick(a)} />
      <div className="composer-main">
        {composer.releasing && (
          <div className="held-banner" data-testid="composer-releasing">
            Editing held frame #{composer.releasing.seq} from the{' '}
            {composer.releasing.from === 'station' ? 'charger' : 'CSMS'}: <b>Send</b> forwards this text
            instead.
            <span className="grow" />
            <button
              type="button"
              className="btn small ghost"
              onClick={() => store.set({ composer: { ...composer, releasing: undefined } })}
            >
              Cancel
            </button>
          </div>
        )}
        {composer.responseTo && (
          <div className="held-banner" data-testid="composer-responding">
            {composer.responseTo.held
              ? heldHere
                ? 'Answering held'
                : 'Held call (already answered or gone):'
              : 'Replying to'}{' '}
            <b>{composer.responseTo.action}</b>{' '}
            <span className="mono muted">{composer.responseTo.messageId}</span>
            <span className="grow" />
            <button
              type="button"
              className="btn small ghost"
              onClick={() => store.set({ composer: { ...composer, responseTo: undefined } })}
            >
              Stop answering
            </button>
          </div>
        )}
        <div className="composer-toolbar">
          <span className="muted">To</span>
          <select
            className="input"
            data-testid="composer-target"
            value={target?.id ?? ''}
            onChange={(e) => store.set({ selectedConnection: e.target.value || undefined })}
            style={{ maxWidth: 220 }}
          >
            {open.length === 0 && <option value="">no open connection</option>}
            {open.map((c) => (
              <option key={c.id} value={c.id}>
                {c.identity} (
                {c.role === 'station' ? 'as station' : c.role === 'proxy' ? 'proxied' : 'charger'})
              </option>
            ))}
          </select>
          {target?.role === 'proxy' && !composer.releasing && (
            <select
              className="input"
              data-testid="composer-inject-to"
              value={injectTo}
              onChange={(e) => setInjectTo(e.target.value as 'station' | 'csms')}
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
              value={manualVersion}
              onChange={(e) => setManualVersion(e.target.value as OcppVersion)}
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
            <input type="checkbox" checked={freshId} onChange={(e) => setFreshId(e.target.checked)} /> fresh
            id
          </label>
          <span className="grow" />
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
          <button
            type="button"
            className="btn primary"
            data-testid="composer-send"
            disabled={sending || !target}
            onClick={() => void send()}
            title="Send (Ctrl+Enter)"
          >
            Send {typeName}{' '}
            <kbd style={{ background: 'transparent', color: 'inherit', borderColor: 'currentColor' }}>⌃↵</kbd>
          </button>
        </div>
        <MonacoEditor
          initial={composer.text || initialText}
          theme={theme}
          schemas={schemas}
          onSubmit={() => void sendRef.current()}
          onMarkers={setMarkers}
          onChange={setText}
          handle={(h) => (editor.current = h)}
        />
      </div>
      <ComposerSummary
        tab={sideTab}
        onTab={setSideTab}
        markers={markers}
        version={version}
        lastResult={lastResult}
        history={history}
      />
    </div>
  );
}
