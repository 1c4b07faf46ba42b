import { directionLabel, formatDateTime, formatRtt, messageTypeName } from '../../logic/format';
import { exchangeOf, rttSentence, toolSide } from '../../logic/tool-side';
import { useStoreInstance } from '../../state/hooks';
import type { ShownConnection } from '../../state/store';
import type { FrameEvent, ScopeEvent } from '../../types';

interface Props {
  partner: ScopeEvent | undefined;
  self: FrameEvent;
  /** The connection in the source shown, whose side of the wire the round trip was measured on. */
  conn: ShownConnection | undefined;
}

/** The frame this one pairs with (the response of a request, the request of a response), with the round trip. */
export function PartnerCard({ partner, self, conn }: Props) {
  const store = useStoreInstance();
  const rtt = self.pair?.rttMs ?? (partner?.kind === 'frame' ? partner.pair?.rttMs : undefined);
  if (self.msg?.type === 6) return null;
  const isRequest = self.msg?.type === 2;
  return (
    <>
      <div className="block-title">{isRequest ? 'Response' : 'Request'}</div>
      {partner && partner.kind === 'frame' ? (
        <div className="partner-card" data-testid="partner" onClick={() => store.select(partner)}>
          <div className="row">
            <b>{messageTypeName(partner.msg?.type)}</b>
            <span>{partner.msg?.action ?? ''}</span>
            <span className="grow" />
            {rtt !== undefined && (
              <span className="badge accent" data-testid="partner-rtt">
                RTT {formatRtt(rtt)}
              </span>
            )}
          </div>
          <div
            className="muted mono"
            style={{ marginTop: 4, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
          >
            {partner.text}
          </div>
          <div className="muted" style={{ marginTop: 4, fontSize: 11 }}>
            {directionLabel(partner.sender)} · click to show it
          </div>
        </div>
      ) : (
        <div className="empty" data-testid="partner-missing">
          {isRequest
            ? 'No response yet.'
            : 'The request this answers is not in this log (it came before recording started, or the id is unknown).'}
        </div>
      )}
      {partner && (
        <dl className="kv" style={{ marginTop: 8 }} data-testid="timings">
          <dt>Request</dt>
          <dd className="mono">{formatDateTime(isRequest ? self.t : partner.t)}</dd>
          <dt>Response</dt>
          <dd className="mono">{formatDateTime(isRequest ? partner.t : self.t)}</dd>
          {rtt !== undefined && (
            <>
              <dt>Round trip</dt>
              <dd data-testid="rtt-source">
                {rttSentence(rtt, toolSide(conn ?? { id: self.conn }), exchangeOf(self))}
              </dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}
