import { useEffect, useMemo, useRef, useState } from 'react';
import type { ActionInfo } from '../../../shared/ocpp/actions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import {
  callErrorTemplate,
  callTemplate,
  freshMessageId,
  guessFrame,
  sendTemplate,
} from '../logic/templates';
import { useStore, useStoreInstance } from '../state/hooks';
import { MESSAGE_TYPE_NAME } from '../../../shared/ocpp/frame-types';
import { ComposerBanners } from './composer-banners';
import { ComposerSummary, type SummaryTab } from './composer-summary';
import { ComposerToolbar } from './composer-toolbar';
import { TemplateList } from './template-list';
import { MonacoEditor, type EditorHandle, type EditorMarker } from './monaco-editor';
import { examplePayload } from './schema-catalog';
import { transferPayload } from './transfer-template';
import { useComposerSend } from './use-composer-send';
import { useSchemas } from './use-schemas';

const startText = (): string => `[2, "${freshMessageId()}", "Heartbeat", {}]`;

export function Composer() {
  const store = useStoreInstance();
  const composer = useStore((s) => s.composer);
  const theme = useStore((s) => s.theme);
  const connections = useStore((s) => s.connections);
  const selectedConnection = useStore((s) => s.selectedConnection);
  const held = useStore((s) => s.held);
  const [manualVersion, setManualVersion] = useState<OcppVersion>('2.0.1');
  const [markers, setMarkers] = useState<EditorMarker[]>([]);
  const [freshId, setFreshId] = useState(true);
  const [sideTab, setSideTab] = useState<SummaryTab>('check');
  const editor = useRef<EditorHandle>(undefined);
  const [initialText] = useState(startText);
  const [text, setText] = useState(initialText);

  const open = connections.filter((c) => c.state === 'open');
  const target = connections.find((c) => c.id === selectedConnection) ?? open[0];
  const version: OcppVersion = target?.version ?? manualVersion;
  const ours: 'csms' | 'station' = target?.role === 'station' ? 'station' : 'csms';
  // Proxy: the tool can speak to either leg of a proxied connection.
  const [injectTo, setInjectTo] = useState<'station' | 'csms'>('station');
  const schemas = useSchemas(version, composer.responseTo?.action);
  const guess = useMemo(() => guessFrame(text), [text]);
  const heldHere = held.find(
    (h) =>
      composer.responseTo?.held &&
      h.messageId === composer.responseTo.messageId &&
      h.connectionId === target?.id,
  );
  const { send, sendRef, sending, lastResult, history } = useComposerSend({
    editor,
    text,
    target,
    freshId,
    injectTo,
    onSent: () => setSideTab('check'),
  });

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

  const typeName =
    guess.type !== undefined ? (MESSAGE_TYPE_NAME[guess.type as 2] ?? `type ${guess.type}`) : 'frame';

  return (
    <div className="composer" data-testid="composer">
      <TemplateList version={version} ours={ours} onPick={(a) => void pick(a)} />
      <div className="composer-main">
        <ComposerBanners heldHere={heldHere} />
        <ComposerToolbar
          open={open}
          target={target}
          injectTo={injectTo}
          onInjectTo={setInjectTo}
          manualVersion={manualVersion}
          onManualVersion={setManualVersion}
          freshId={freshId}
          onFreshId={setFreshId}
          markers={markers}
          typeName={typeName}
          sending={sending}
          onSend={() => void send()}
        />
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
