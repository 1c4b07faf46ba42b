import { composeReply } from '../../composer/replies';
import { formatSearch } from '../../logic/filter';
import { useStoreInstance } from '../../state/hooks';
import type { FrameProps } from './frame-facts';

/** What to do with a frame: answer a request that came in, edit and resend one we sent, filter to its action. */
export function FrameActions({ e, conn, fromThem }: FrameProps) {
  const store = useStoreInstance();
  const reply = (kind: 'result' | 'error') => void composeReply(store, e, conn?.version, kind);
  return (
    <div className="row wrap">
      {e.msg?.type === 2 && fromThem && (
        <>
          <button
            type="button"
            className="btn small"
            data-testid="detail-reply"
            onClick={() => reply('result')}
          >
            Reply in composer
          </button>
          <button type="button" className="btn small" onClick={() => reply('error')}>
            Reply with CALLERROR
          </button>
        </>
      )}
      {!fromThem && (
        <button
          type="button"
          className="btn small"
          data-testid="detail-edit"
          onClick={() => store.compose(e.text, {}, e.conn)}
        >
          Edit and resend
        </button>
      )}
      {e.msg?.action && (
        <button
          type="button"
          className="btn small"
          onClick={() => store.setSearch(formatSearch({ action: e.msg?.action }))}
        >
          Show only {e.msg.action}
        </button>
      )}
    </div>
  );
}
