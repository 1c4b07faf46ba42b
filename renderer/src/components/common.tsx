import { useEffect, useState, type ReactNode } from 'react';
import { useStoreInstance } from '../state/hooks';

export function CopyButton({
  text,
  label = 'Copy',
  testId,
}: {
  text: string;
  label?: string;
  testId?: string;
}) {
  const store = useStoreInstance();
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(false), 1200);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <button
      type="button"
      className="btn small ghost"
      data-testid={testId}
      title={`Copy ${text}`}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => setDone(true),
          () =>
            store.toast('The clipboard is not available here; select the text and copy it by hand.', 'error'),
        );
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/** A button of a dialog's footer. */
export interface DialogAction {
  label: ReactNode;
  testId: string;
  onClick: () => void;
  disabled?: boolean;
  primary?: boolean;
}

/** Footer buttons: Cancel (which closes), then the dialog's own actions. */
function DialogActions({ onCancel, actions }: { onCancel: () => void; actions: DialogAction[] }) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      {actions.map((a) => (
        <button
          key={a.testId}
          type="button"
          className={a.primary ? 'btn primary' : 'btn'}
          data-testid={a.testId}
          disabled={a.disabled}
          onClick={a.onClick}
        >
          {a.label}
        </button>
      ))}
    </>
  );
}

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Shorthand for a footer of Cancel plus these buttons. */
  actions?: DialogAction[];
  testId?: string;
  wide?: boolean;
}) {
  const footer = props.actions ? (
    <DialogActions onCancel={props.onClose} actions={props.actions} />
  ) : (
    props.footer
  );
  return (
    <div
      className="backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) props.onClose();
      }}
    >
      <div
        className="dialog"
        role="dialog"
        aria-label={props.title}
        data-testid={props.testId}
        style={props.wide ? { width: 'min(860px, 94vw)' } : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          }
        }}
      >
        <div className="dialog-head">
          {props.title}
          <span className="spacer" />
          <button type="button" className="btn small ghost" onClick={props.onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <div className="dialog-body">{props.children}</div>
        {footer && <div className="dialog-foot">{footer}</div>}
      </div>
    </div>
  );
}

export function Progress({ value, total, testId }: { value?: number; total?: number; testId?: string }) {
  const known = value !== undefined && total !== undefined && total > 0;
  return (
    <div className={`progress${known ? '' : ' indeterminate'}`} data-testid={testId}>
      <div style={known ? { width: `${Math.min(100, (100 * value) / total)}%` } : undefined} />
    </div>
  );
}

/** Ticks once a second so "since" columns stay current without every component owning a timer. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
