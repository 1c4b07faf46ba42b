import { useStoreInstance } from '../../state/hooks';
import type { Finding } from '../../types';

/** Links to the events a finding is about (e.g. the first StopTransaction when a second one comes). */
function RelatedLinks({ seqs }: { seqs: number[] }) {
  const store = useStoreInstance();
  return (
    <span data-testid="finding-related">
      about{' '}
      {seqs.map((seq, i) => (
        <span key={seq}>
          {i > 0 && ', '}
          <button
            type="button"
            className="link"
            data-testid="finding-related-link"
            title="Show that event"
            onClick={() => {
              const target = store.model()?.bySeq(seq);
              if (target) store.select(target);
              else store.toast(`Event ${seq} is not loaded in this view.`);
            }}
          >
            #{seq}
          </button>
        </span>
      ))}
    </span>
  );
}

const MARK = { error: '●', warning: '▲', info: 'i' } as const;
const TONE = { error: 'error-text', warning: 'warn-text', info: 'muted' } as const;

/** Findings with their code, where in the payload, what a strict peer answers, related events and spec ids. */
export function FindingList({ findings, testId }: { findings: Finding[]; testId?: string }) {
  if (findings.length === 0) return null;
  return (
    <div data-testid={testId}>
      {findings.map((f, i) => (
        <div key={i} className={`finding ${f.severity}`} data-testid="finding" data-code={f.code}>
          <span className={TONE[f.severity]}>{MARK[f.severity]}</span>
          <div className="grow">
            <div>{f.message}</div>
            <div className="row wrap muted" style={{ marginTop: 2 }}>
              <code>{f.code}</code>
              {f.path && (
                <span className="path">
                  at <code>{f.path}</code>
                </span>
              )}
              {f.errorCode && (
                <span>
                  a strict peer answers <code>{f.errorCode}</code>
                </span>
              )}
              {f.related && f.related.length > 0 && <RelatedLinks seqs={f.related} />}
              {f.spec && <span data-testid="finding-spec">spec {f.spec}</span>}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}
