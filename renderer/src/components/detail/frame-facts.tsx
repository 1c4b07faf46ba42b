import { directionLabel, formatDateTime, messageTypeName } from '../../logic/format';
import { exchangeOf, rttSentence, toolSide } from '../../logic/tool-side';
import { useStoreInstance } from '../../state/hooks';
import type { ShownConnection } from '../../state/store';
import type { FrameEvent } from '../../types';

export interface FrameProps {
  e: FrameEvent;
  /** Its connection in the source shown (a capture's own), as far as known. */
  conn?: ShownConnection | undefined;
  /** The peer sent it (not this tool); undefined when not known (no upgrade read yet, or an imported file). */
  fromThem: boolean | undefined;
}

/** What a frame is: type, action, id, error code, direction (and whether this tool sent it), connection, time, size. */
export function FrameFacts({ e, conn, fromThem }: FrameProps) {
  const store = useStoreInstance();
  const version = conn?.version;
  return (
    <dl className="kv">
      <dt>Type</dt>
      <dd data-testid="detail-type">{e.msg ? messageTypeName(e.msg.type) : 'not a valid frame'}</dd>
      {e.msg?.action && (
        <>
          <dt>Action</dt>
          <dd data-testid="detail-action">{e.msg.action}</dd>
        </>
      )}
      {e.msg && (
        <>
          <dt>Message id</dt>
          <dd className="mono">{e.msg.id}</dd>
        </>
      )}
      {e.msg?.errorCode && (
        <>
          <dt>Error code</dt>
          <dd className="error-text">{e.msg.errorCode}</dd>
        </>
      )}
      <dt>Direction</dt>
      <dd>
        {directionLabel(e.sender)}
        {fromThem !== undefined && (
          <span className="muted"> · {fromThem ? 'received' : 'sent by this tool'}</span>
        )}
      </dd>
      <dt>Connection</dt>
      <dd>
        {store.connectionLabel(e.conn)} {version && <span className="badge accent">OCPP {version}</span>}
      </dd>
      <dt>Time</dt>
      <dd className="mono">{formatDateTime(e.t)}</dd>
      {e.pair?.rttMs !== undefined && (
        <>
          <dt>Round trip</dt>
          <dd data-testid="detail-rtt">
            {rttSentence(e.pair.rttMs, toolSide(conn ?? { id: e.conn }), exchangeOf(e))}
          </dd>
        </>
      )}
      <dt>Size</dt>
      <dd>{new TextEncoder().encode(e.text).length} bytes</dd>
    </dl>
  );
}
