import { useState } from 'react';
import type { SimulatedStationView, SimulatorAction } from '../../../shared/api';
import { useStoreInstance } from '../state/hooks';
import type { ChartSeries } from './connector-chart';
import { ActButton, ConnectorRow } from './connector-row';

/**
 * One simulated station as a person at the site sees it: its connectors and their status, the running transaction
 * with live energy and power, and the buttons: plug in, present a card, start, stop, unplug, fault / clear fault,
 * go offline / online, reboot.
 */
export function StationCard({
  view,
  charts,
  chartVersion,
  onChanged,
}: {
  view: SimulatedStationView;
  charts: Map<number, ChartSeries>;
  chartVersion: number;
  onChanged: (v: SimulatedStationView) => void;
}) {
  const store = useStoreInstance();
  const [cards, setCards] = useState<Record<number, string>>({});
  const id = view.identity || view.connectionId;
  const act = (action: SimulatorAction) =>
    void store.api
      .simulatorAction(view.connectionId, action)
      .then(onChanged, (err: unknown) =>
        store.toast(`${id}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      );
  const state = view.offlineOnPurpose
    ? 'offline'
    : !view.online
      ? 'reconnecting'
      : view.boot === 'accepted'
        ? 'online'
        : `boot ${view.boot}`;
  return (
    <div className="station-card" data-testid={`station-card-${id}`}>
      <div className="station-card-head">
        <strong className="mono">{id}</strong>
        <span className="muted">OCPP {view.version ?? '?'}</span>
        <span
          className={`badge${view.online && view.boot === 'accepted' ? ' ok' : ' warn'}`}
          data-testid={`station-state-${id}`}
        >
          {state}
        </span>
        {view.queuedTransactionMessages > 0 && (
          <span className="badge warn" data-testid={`station-queue-${id}`}>
            {view.queuedTransactionMessages} queued
          </span>
        )}
        <span className="grow" />
        {view.offlineOnPurpose ? (
          <ActButton
            testId={`station-online-${id}`}
            label="Go online"
            action={{ kind: 'online' }}
            act={act}
          />
        ) : (
          <ActButton
            testId={`station-offline-${id}`}
            label="Go offline"
            action={{ kind: 'offline' }}
            act={act}
          />
        )}
        {view.version && view.version !== '1.6' && (
          <ActButton
            testId={`station-ev-certificate-${id}`}
            label="EV certificate"
            action={{ kind: 'evCertificate' }}
            act={act}
          />
        )}
        <ActButton testId={`station-reboot-${id}`} label="Reboot" action={{ kind: 'reboot' }} act={act} />
      </div>
      {view.display !== undefined && (
        <div className="station-display mono" data-testid={`station-display-${id}`}>
          {view.display}
        </div>
      )}
      {view.connectors.map((c) => (
        <ConnectorRow
          key={c.id}
          c={c}
          testId={`${id}-${c.id}`}
          tag={cards[c.id] ?? 'CARD-0001'}
          onTag={(tag) => setCards({ ...cards, [c.id]: tag })}
          act={act}
          chart={charts.get(c.id)}
          chartVersion={chartVersion}
        />
      ))}
    </div>
  );
}
