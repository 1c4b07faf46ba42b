import { memo } from 'react';
import { rowTone, worstSeverity, type Column, type RowContext } from '../../logic/columns';
import { composeFrom } from '../../composer/replies';
import { useStoreInstance } from '../../state/hooks';
import type { ScopeEvent } from '../../types';

function FindingsCell({ e, text }: { e: ScopeEvent; text: string }) {
  if (!text) return null;
  const sev = worstSeverity(e) ?? 'info';
  return <span className={`findings-pill ${sev}`}>{text}</span>;
}

interface Props {
  e: ScopeEvent;
  columns: readonly Column[];
  ctx: RowContext;
  top: number;
  selected: boolean;
  partner: boolean;
}

/** One event as a row of cells; mouse down selects it, a double click opens it in the composer. */
export const LogRow = memo(function LogRow({ e, columns, ctx, top, selected, partner }: Props) {
  const store = useStoreInstance();
  const sev = worstSeverity(e);
  const cls = [
    'log-row',
    `tone-${rowTone(e)}`,
    sev && sev !== 'info' ? `sev-${sev}` : '',
    selected ? 'selected' : '',
    partner ? 'partner' : '',
  ].join(' ');
  return (
    <div
      className={cls}
      style={{ top }}
      role="row"
      data-testid="log-row"
      data-seq={e.seq}
      data-kind={e.kind}
      data-action={e.kind === 'frame' ? (e.msg?.action ?? '') : ''}
      data-type={e.kind === 'frame' ? (e.msg?.type ?? '') : ''}
      data-leg={e.kind === 'opened' ? (e.leg ?? '') : undefined}
      aria-selected={selected}
      onMouseDown={() => store.select(e)}
      onDoubleClick={() => composeFrom(store, e)}
    >
      {columns.map((c) => {
        const text = c.cell(e, ctx);
        return (
          <div
            key={c.id}
            className={`c-${c.id}${c.align === 'right' ? ' right' : ''}`}
            data-testid={`cell-${c.id}`}
            title={
              c.title
                ? c.title(e, ctx)
                : c.id === 'action' || c.id === 'id' || c.id === 'connection'
                  ? text
                  : undefined
            }
          >
            {c.id === 'findings' ? <FindingsCell e={e} text={text} /> : text}
          </div>
        );
      })}
    </div>
  );
});

export function LoadingRow({ top }: { top: number }) {
  return (
    <div className="log-row" style={{ top }}>
      <div className="muted">loading…</div>
    </div>
  );
}
