import type { OpenedEvent, ProxyLeg } from '../types';
import { useStore } from '../state/hooks';
import { HandshakeView } from './handshake/handshake-view';
import { useOpenedEvents } from './handshake/use-opened-events';

export const LEG_TITLE: Record<ProxyLeg, string> = {
  charger: 'Charger leg: charger → this tool',
  csms: 'CSMS leg: this tool → CSMS',
};

/** Which leg of a proxied pair an upgrade opened: recorded on the event, or (older captures) by its URL. */
function legOf(e: OpenedEvent, upstreamUrl: string | undefined): ProxyLeg | undefined {
  if (e.leg) return e.leg;
  if (e.connection.role !== 'proxy') return undefined;
  return upstreamUrl && e.connection.url.startsWith(upstreamUrl) ? 'csms' : 'charger';
}

/** The Handshake tab: the connection of the selected row (or card), both legs of a proxied pair. */
export function HandshakeInspector() {
  const conn = useStore((s) => s.handshakeConnection ?? s.selectedConnection);
  const upstreamUrl = useStore((s) => s.connections.find((c) => c.id === conn)?.proxy?.upstreamUrl);
  const found = useOpenedEvents(conn);
  const legs = found.some((e) => legOf(e, upstreamUrl))
    ? found
        .slice(0, 2)
        .sort((a, b) => Number(legOf(a, upstreamUrl) === 'csms') - Number(legOf(b, upstreamUrl) === 'csms'))
    : found.slice(0, 1);
  return (
    <div className="pane-body" data-testid="handshake-pane">
      {legs.length > 0 ? (
        legs.map((opened) => {
          const leg = legOf(opened, upstreamUrl);
          return (
            <div key={opened.seq} style={{ marginBottom: 16 }}>
              {leg && (
                <div className="block-title" data-testid="handshake-leg" data-leg={leg}>
                  {LEG_TITLE[leg]}
                </div>
              )}
              <HandshakeView opened={opened} />
            </div>
          );
        })
      ) : (
        <div className="empty">
          Select a row in the log (or press <b>Handshake</b> on a connection) to see its upgrade request and
          response side by side, the subprotocol negotiation, the Sec-WebSocket-Accept check, Basic auth and
          the TLS chain.
        </div>
      )}
    </div>
  );
}
