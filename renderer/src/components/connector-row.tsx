import type { SimulatedConnectorView, SimulatorAction } from '../../../shared/api';
import type { ChartSeries } from './connector-chart';
import { ConnectorChart } from './connector-chart';

export function kwh(wh: number): string {
  return `${(wh / 1000).toFixed(3)} kWh`;
}

function kw(w: number): string {
  return `${(w / 1000).toFixed(2)} kW`;
}

/** A small button of a station card that sends one action. */
export function ActButton({
  testId,
  label,
  action,
  act,
  primary,
  disabled,
}: {
  testId: string;
  label: string;
  action: SimulatorAction;
  act: (a: SimulatorAction) => void;
  primary?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className={primary ? 'btn small primary' : 'btn small'}
      data-testid={testId}
      disabled={disabled}
      onClick={() => act(action)}
    >
      {label}
    </button>
  );
}

/** One connector of a simulated station: its status, power and transaction, the buttons a person uses, its chart. */
export function ConnectorRow({
  c,
  testId,
  tag,
  onTag,
  act,
  chart,
  chartVersion,
}: {
  c: SimulatedConnectorView;
  testId: string;
  tag: string;
  onTag: (tag: string) => void;
  act: (a: SimulatorAction) => void;
  chart: ChartSeries | undefined;
  chartVersion: number;
}) {
  const tx = c.transaction;
  const connector = c.id;
  return (
    <div className="connector-row" data-testid={`connector-${testId}`}>
      <div className="connector-facts">
        <span className="mono">#{c.id}</span>
        <span className={`badge status-${c.status}`} data-testid={`connector-status-${testId}`}>
          {c.status}
        </span>
        <span data-testid={`connector-power-${testId}`}>{kw(c.powerW)}</span>
        {c.soc !== undefined && <span className="muted">SoC {c.soc} %</span>}
        {tx ? (
          <span data-testid={`connector-tx-${testId}`}>
            transaction <span className="mono">{tx.id ?? '(waiting for its id)'}</span>
            {tx.idTag ? ` · ${tx.idTag}` : ''} ·{' '}
            <span data-testid={`connector-energy-${testId}`}>{kwh(tx.energyWh)}</span>
          </span>
        ) : (
          <span className="muted">meter {kwh(c.energyWh)}</span>
        )}
      </div>
      <div className="row wrap connector-buttons">
        {!c.plugged ? (
          <ActButton
            testId={`connector-plug-${testId}`}
            label="Plug in"
            action={{ kind: 'plug', connector }}
            act={act}
          />
        ) : (
          <ActButton
            testId={`connector-unplug-${testId}`}
            label="Unplug"
            action={{ kind: 'unplug', connector }}
            act={act}
          />
        )}
        <input
          className="input mono small"
          aria-label="idTag"
          data-testid={`connector-idtag-${testId}`}
          value={tag}
          onChange={(e) => onTag(e.target.value)}
        />
        <ActButton
          testId={`connector-card-${testId}`}
          label="Present card"
          disabled={tag.trim() === ''}
          action={{ kind: 'card', connector, idTag: tag.trim() }}
          act={act}
        />
        {tx?.idTag ? (
          <ActButton
            testId={`connector-stop-${testId}`}
            label="Stop"
            action={{ kind: 'stop', connector }}
            act={act}
          />
        ) : (
          <ActButton
            testId={`connector-start-${testId}`}
            label="Start"
            primary
            action={{ kind: 'start', connector, idTag: tag.trim() || 'CARD-0001' }}
            act={act}
          />
        )}
        {c.faulted ? (
          <ActButton
            testId={`connector-clear-${testId}`}
            label="Clear fault"
            action={{ kind: 'clearFault', connector }}
            act={act}
          />
        ) : (
          <ActButton
            testId={`connector-fault-${testId}`}
            label="Fault"
            action={{ kind: 'fault', connector }}
            act={act}
          />
        )}
      </div>
      {chart && <ConnectorChart series={chart} version={chartVersion} testId={`connector-chart-${testId}`} />}
    </div>
  );
}
