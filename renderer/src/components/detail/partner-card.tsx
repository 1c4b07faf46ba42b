import { directionLabel, formatDateTime, formatRtt, messageTypeName } from '../../logic/format';
import { useStoreInstance } from '../../state/hooks';
import type { FrameEvent, ScopeEvent } from '../../types';

/** Who measured a round trip, and between which moments: a live connection's at its own socket, a capture's from its stamps. */
function rttSource(role: string | undefined): string {
  if (role === undefined) return 'from the times recorded in the capture';
  if (role === 'proxy')
    return 'measured by OCPP Scope at its sockets: request read from one side → answer read from the other';
  return 'measured by OCPP Scope at its socket: request crossing the wire → answer crossing it back, without its own parsing, validation or recording';
}

interface Props {
  partner: ScopeEvent | undefined;
  self: FrameEvent;
  role: string | undefined;
}

/** The frame this one pairs with (the response of a request, the request of a response), with the round trip. */
export function PartnerCard({ partner, self, role }: Props) {
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
                {formatRtt(rtt)} ({rttSource(role)})
              </dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}
