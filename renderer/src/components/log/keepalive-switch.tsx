import type { KeepaliveHiding } from '../../../../shared/api';
import { useStore, useStoreInstance } from '../../state/hooks';
import { setKeepaliveHiding } from '../../state/log-layout';

/**
 * One click hides keepalives (WebSocket ping/pong); Heartbeat calls can go too. Kept in the settings, and applied as
 * part of the filter, so captures and the live log hide the same rows.
 */
export function KeepaliveSwitch() {
  const store = useStoreInstance();
  const hiding: KeepaliveHiding = useStore((s) => s.settings?.hideKeepalives ?? 'off');
  const on = hiding !== 'off';
  return (
    <>
      <button
        type="button"
        className={`chip${on ? ' active' : ''}`}
        data-testid="hide-keepalives"
        data-state={hiding}
        title={on ? 'Show keepalives again' : 'Hide WebSocket ping/pong rows'}
        onClick={() => void setKeepaliveHiding(store, on ? 'off' : 'pings')}
      >
        {on ? 'Keepalives hidden' : 'Hide keepalives'}
      </button>
      {on && (
        <label className="chip" title="Hide Heartbeat calls and their answers too">
          <input
            type="checkbox"
            data-testid="hide-heartbeats"
            checked={hiding === 'pings-and-heartbeats'}
            onChange={(e) =>
              void setKeepaliveHiding(store, e.target.checked ? 'pings-and-heartbeats' : 'pings')
            }
          />{' '}
          + Heartbeat
        </label>
      )}
    </>
  );
}
