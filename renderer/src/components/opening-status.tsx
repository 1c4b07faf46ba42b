import { formatBytes } from '../../../shared/units';
import { useStore } from '../state/hooks';

/** A file being sent to the engine (serve mode): how far, and a way to stop it (the engine then keeps nothing). */
export function OpeningStatus() {
  const opening = useStore((s) => s.opening);
  if (!opening) return null;
  const percent = opening.total > 0 ? Math.floor((opening.sent / opening.total) * 100) : 0;
  return (
    <span data-testid="status-opening">
      Opening {opening.name}: {percent}% of {formatBytes(opening.total)}{' '}
      <button
        type="button"
        className="btn small ghost"
        data-testid="status-opening-cancel"
        onClick={opening.cancel}
      >
        Cancel
      </button>
    </span>
  );
}
