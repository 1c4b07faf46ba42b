import { useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ConnectionStatus, SendResult } from '../../../shared/api';
import { MESSAGE_TYPE_NAME } from '../../../shared/ocpp/frame-types';
import { freshMessageId, guessFrame, prettyFrame, replaceMessageId } from '../logic/templates';
import { useStoreInstance } from '../state/hooks';
import { addToHistory, loadHistory, type SentEntry } from './history';
import type { EditorHandle } from './monaco-editor';

export interface SendOptions {
  editor: RefObject<EditorHandle | undefined>;
  text: string;
  target: ConnectionStatus | undefined;
  freshId: boolean;
  injectTo: 'station' | 'csms';
  /** After a send (sent or failed): the summary shows its check. */
  onSent: () => void;
}

export type LastResult = SendResult & { error?: string };

/**
 * Sending the composer's text: as a new frame, an answer to a held call, a released held frame or an injection
 * into a proxied connection; the result, the history of sent frames, and the next held call taking the composer.
 * `sendRef` always holds the newest send (the editor's Ctrl+Enter binding is made once).
 */
export function useComposerSend(o: SendOptions) {
  const store = useStoreInstance();
  const [lastResult, setLastResult] = useState<LastResult>();
  const [history, setHistory] = useState<SentEntry[]>(loadHistory);
  const [sending, setSending] = useState(false);

  const send = async (): Promise<void> => {
    const composer = store.getState().composer;
    const current = o.editor.current?.getValue() ?? o.text;
    const target = o.target;
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
    const out = o.freshId && isRequest && !releasing ? replaceMessageId(current, freshMessageId()) : current;
    setSending(true);
    try {
      const answering = composer.responseTo?.held && !isRequest ? composer.responseTo : undefined;
      const result = releasing
        ? await store.api.releaseHeld(releasing.connectionId, releasing.seq, out)
        : answering
          ? await store.api.answerHeld(target.id, answering.messageId, out)
          : target.role === 'proxy'
            ? await store.api.injectFrame(target.id, o.injectTo, out)
            : await store.api.send(target.id, out);
      if (releasing) store.set({ composer: { ...store.getState().composer, releasing: undefined } });
      setLastResult(result);
      o.onSent();
      const label = isRequest ? `${g.action ?? '?'}` : (MESSAGE_TYPE_NAME[g.type as 3] ?? 'frame');
      setHistory((h) =>
        addToHistory(h, {
          t: Date.now(),
          connection: target.identity,
          label,
          text: out,
          findings: result.findings.length,
        }),
      );
      if (answering) nextHeld(answering.messageId);
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

  /** The next held call, if any, takes the composer; otherwise it stops answering. */
  const nextHeld = (answered: string): void => {
    const next = store.getState().held.find((h) => h.messageId !== answered);
    if (next)
      store.compose(
        prettyFrame(next.suggestedResponse),
        { responseTo: { action: next.action, messageId: next.messageId, held: true } },
        next.connectionId,
      );
    else store.set({ composer: { ...store.getState().composer, responseTo: undefined } });
  };

  const sendRef = useRef(send);
  sendRef.current = send;
  return { send, sendRef, sending, lastResult, history };
}
