import type { LogModel } from '../../state/store';

interface Props {
  model: LogModel | undefined;
  hasQuery: boolean;
  isLive: boolean;
  running: boolean;
}

/** What an empty log says: why it is empty and what to do next. */
export function LogEmpty({ model, hasQuery, isLive, running }: Props) {
  return (
    <div className="log-empty" data-testid="log-empty">
      <div className="empty big">
        {hasQuery ? (
          <>
            <h3>Nothing matches this filter</h3>
            Clear the filter (<kbd>Esc</kbd> in the filter bar) or loosen it; hidden keepalives count as a
            filter too.
          </>
        ) : !isLive ? (
          model && 'error' in model && model.error ? (
            <>
              <h3>The capture could not be read</h3>
              <span data-testid="capture-error">{model.error}</span>
            </>
          ) : model && 'loaded' in model && !model.loaded ? (
            <h3>Reading the capture…</h3>
          ) : (
            <h3>This capture has no events</h3>
          )
        ) : running ? (
          <>
            <h3>Waiting for traffic</h3>
            Point a charger at the endpoint URL on the left, or connect as a station. Frames appear here as
            they cross the wire.
          </>
        ) : (
          <>
            <h3>No traffic yet</h3>
            <b>Start the endpoint</b> on the left to let a charger connect, <b>Connect…</b> to a CSMS as a
            station, or open a capture (<kbd>Ctrl</kbd>+<kbd>O</kbd>, or drop a file here).
          </>
        )}
      </div>
    </div>
  );
}
