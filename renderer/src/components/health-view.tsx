import type { ChargerHealth } from '../../../shared/capture/charger-health';
import { formatDateTime, formatRtt } from '../logic/format';
import { healthOf } from '../logic/health-cache';
import { rttWhere, toolSender, toolSide } from '../logic/tool-side';
import { useStore, useStoreInstance } from '../state/hooks';

function heartbeatText(h: ChargerHealth['heartbeat']): { text: string; tone: string } {
  if (h.count === 0) return { text: 'no Heartbeat seen', tone: 'muted' };
  const agreed = h.agreedSec !== undefined ? `agreed ${h.agreedSec} s` : 'no interval agreed';
  if (h.observedSec === undefined) return { text: `${agreed}, 1 heartbeat so far`, tone: '' };
  const off =
    h.agreedSec !== undefined && Math.abs(h.observedSec - h.agreedSec) > Math.max(5, h.agreedSec * 0.2);
  return { text: `${agreed}, observed every ${h.observedSec} s`, tone: off ? 'warn-text' : 'ok-text' };
}

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/** The five-second summary of the selected charger (from the live log): see shared/capture/charger-health.ts. */
export function HealthView() {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const conn = useStore((s) => s.selectedConnection ?? s.selected?.conn);
  const live = useStore((s) => s.connections.find((c) => c.id === conn));
  const identity = live?.identity ?? (conn ? store.connectionLabel(conn) : undefined);
  const liveSource = store.getState().liveSource;
  const log = liveSource ? store.live.get(liveSource) : undefined;
  const h = log && identity !== undefined ? healthOf(log, identity) : undefined;
  if (!h)
    return (
      <div className="pane-body">
        <div className="empty">Pick a charger on the left (or a row of the live log) to see its health.</div>
      </div>
    );
  const hb = heartbeatText(h.heartbeat);
  const boot = h.boot;
  return (
    <div className="pane-body" data-testid="health" data-identity={h.identity}>
      <dl className="kv">
        <Row label="Charger" testId="health-identity">
          <b>{h.identity}</b> · {h.state} {h.version ? `· OCPP ${h.version}` : ''}
        </Row>
        <Row label="Boot" testId="health-boot">
          {boot ? (
            <span className={boot.status === 'Accepted' ? 'ok-text' : 'warn-text'}>
              {boot.status === 'unanswered' ? 'sent, not answered' : boot.status} ({formatDateTime(boot.at)})
            </span>
          ) : (
            <span className="muted">no BootNotification seen</span>
          )}
        </Row>
        <Row label="Heartbeat" testId="health-heartbeat">
          <span className={hb.tone}>{hb.text}</span>
        </Row>
        <Row label="Connectors" testId="health-connectors">
          {h.connectors.length === 0
            ? 'no StatusNotification seen'
            : h.connectors
                .map((c) => `${c.connector}: ${c.status}${c.errorCode ? ` (${c.errorCode})` : ''}`)
                .join(' · ')}
        </Row>
        <Row label="Last transaction" testId="health-transaction">
          {h.lastTransaction
            ? `${h.lastTransaction.event}${h.lastTransaction.id ? ` #${h.lastTransaction.id}` : ''}${h.lastTransaction.connector ? ` on ${h.lastTransaction.connector}` : ''} (${formatDateTime(h.lastTransaction.at)})`
            : 'none seen'}
        </Row>
        <Row label="Findings" testId="health-findings">
          <span className={h.findings.error ? 'error-text' : ''}>{h.findings.error} errors</span> ·{' '}
          <span className={h.findings.warning ? 'warn-text' : ''}>{h.findings.warning} warnings</span> ·{' '}
          {h.findings.info} info
        </Row>
        <Row label="Link" testId="health-link">
          <span
            title={
              live &&
              `WebSocket pings the tool sent, ${rttWhere(toolSide(live), { ping: true, requester: toolSender(live.role) })}`
            }
          >
            ping
          </span>{' '}
          {h.ping.count
            ? `${formatRtt(h.ping.medianRttMs)} median, ${formatRtt(h.ping.lastRttMs)} last`
            : 'no round trips yet'}{' '}
          · {h.reconnects} reconnect(s) · {h.failedAttempts} failed attempt(s)
        </Row>
        {h.lastFailure && (
          <Row label="Last failure" testId="health-failure">
            <span className="error-text">
              failed at {h.lastFailure.stepLabel}: {h.lastFailure.sentence}
            </span>
          </Row>
        )}
      </dl>
    </div>
  );
}
