import type { PendingPrompt } from '../../../shared/scenario/scenario-types';
import { useStoreInstance } from '../state/hooks';
import { Dialog, useNow } from './common';

/**
 * A manual step of a check, for the person at the charger: what to do, in big letters, and two buttons. Closing the
 * dialog is not an answer (the run waits until Done, Skip or the deadline, then calls the case inconclusive).
 */
export function CheckPromptDialog({ prompt, onHide }: { prompt: PendingPrompt; onHide: () => void }) {
  const store = useStoreInstance();
  const now = useNow(1000);
  const left = Math.max(0, Math.round((prompt.deadline - now) / 1000));
  const answer = (a: 'done' | 'skip') =>
    void store.run('Answering the check', async () =>
      store.set({ check: await store.api.answerCheckPrompt(prompt.id, a) }),
    );
  return (
    <Dialog
      title="Your turn at the charger"
      onClose={onHide}
      testId="check-prompt"
      footer={
        <div className="row">
          <span className="muted" data-testid="check-prompt-left">
            {left} s left
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="btn"
            data-testid="check-prompt-skip"
            onClick={() => answer('skip')}
          >
            Skip this check
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="check-prompt-done"
            autoFocus
            onClick={() => answer('done')}
          >
            Done
          </button>
        </div>
      }
    >
      <p className="muted" style={{ marginTop: 0 }}>
        {prompt.caseTitle}
      </p>
      <p style={{ fontSize: 18, lineHeight: 1.4 }} data-testid="check-prompt-text">
        {prompt.text}
      </p>
      <p className="muted">
        Press <b>Done</b> once you have done it. The tool then watches what the charger does. <b>Skip</b>{' '}
        leaves this check out.
      </p>
    </Dialog>
  );
}
