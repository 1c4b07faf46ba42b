import type { HeldCall } from '../../../shared/api';
import { useStore, useStoreInstance } from '../state/hooks';

/** What the composer is doing besides sending a new frame: editing a held frame, or answering a call. */
export function ComposerBanners({ heldHere }: { heldHere: HeldCall | undefined }) {
  const store = useStoreInstance();
  const composer = useStore((s) => s.composer);
  return (
    <>
      {composer.releasing && (
        <div className="held-banner" data-testid="composer-releasing">
          Editing held frame #{composer.releasing.seq} from the{' '}
          {composer.releasing.from === 'station' ? 'charger' : 'CSMS'}: <b>Send</b> forwards this text
          instead.
          <span className="grow" />
          <button
            type="button"
            className="btn small ghost"
            onClick={() => store.set({ composer: { ...composer, releasing: undefined } })}
          >
            Cancel
          </button>
        </div>
      )}
      {composer.responseTo && (
        <div className="held-banner" data-testid="composer-responding">
          {composer.responseTo.held
            ? heldHere
              ? 'Answering held'
              : 'Held call (already answered or gone):'
            : 'Replying to'}{' '}
          <b>{composer.responseTo.action}</b>{' '}
          <span className="mono muted">{composer.responseTo.messageId}</span>
          <span className="grow" />
          <button
            type="button"
            className="btn small ghost"
            onClick={() => store.set({ composer: { ...composer, responseTo: undefined } })}
          >
            Stop answering
          </button>
        </div>
      )}
    </>
  );
}
