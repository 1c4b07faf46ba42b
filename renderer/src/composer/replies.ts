import type { OcppVersion } from '../../../shared/ocpp/versions';
import { peerSent } from '../logic/tool-side';
import { callErrorTemplate, resultTemplate } from '../logic/templates';
import type { Store } from '../state/store';
import type { ScopeEvent } from '../types';
import { examplePayload } from './schema-catalog';

/** Puts an answer to a logged CALL in the composer: a valid example CALLRESULT, or a CALLERROR. */
export async function composeReply(
  store: Store,
  e: ScopeEvent,
  version: OcppVersion | undefined,
  kind: 'result' | 'error',
): Promise<void> {
  if (e.kind !== 'frame' || !e.msg) return;
  const responseTo = { action: e.msg.action ?? '', messageId: e.msg.id, held: false };
  if (kind === 'error') {
    store.compose(callErrorTemplate(e.msg.id), { responseTo }, e.conn);
    return;
  }
  const example = version && e.msg.action ? await examplePayload(version, e.msg.action, 'response') : {};
  store.compose(resultTemplate(e.msg.id, example), { responseTo }, e.conn);
}

/**
 * What a double click on a frame means: answer a CALL the other side sent, or edit and resend one of ours.
 * Returns false when there is nothing sensible to put in the composer.
 */
export function composeFrom(store: Store, e: ScopeEvent): boolean {
  if (e.kind !== 'frame') return false;
  // The connection of the source shown: a capture's c1 is its own, not the live c1.
  const conn = store.connectionOf(e.conn);
  const fromThem = peerSent(conn, e.sender) ?? true;
  if (fromThem && e.msg?.type === 2) {
    void composeReply(store, e, conn?.version, 'result');
    return true;
  }
  store.compose(e.text, {}, e.conn);
  return true;
}
