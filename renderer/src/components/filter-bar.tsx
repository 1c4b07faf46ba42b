import { useEffect, useRef, useState } from 'react';
import type { EventQuery } from '../../../shared/api';
import { FILTER_KEYS } from '../../../shared/capture/filter';
import { completeFilter, formatSearch, parseSearch } from '../logic/filter';
import { formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import { Progress } from './common';
import { ColumnMenu } from './log/column-menu';
import { KeepaliveSwitch } from './log/keepalive-switch';

const QUICK: { label: string; patch: EventQuery; title: string }[] = [
  { label: 'Findings', patch: { withFindings: true }, title: 'Only events with findings (is:findings)' },
  { label: 'CALL', patch: { messageType: 2 }, title: 'Only requests (type:call)' },
  { label: 'Errors', patch: { messageType: 4 }, title: 'Only CALLERRORs (type:error)' },
  { label: 'From CS', patch: { sender: 'station' }, title: 'Sent by the charging station (from:cs)' },
  { label: 'From CSMS', patch: { sender: 'csms' }, title: 'Sent by the CSMS (from:csms)' },
];

function toggled(q: EventQuery, patch: EventQuery): EventQuery {
  const key = Object.keys(patch)[0] as keyof EventQuery;
  const on = q[key] === patch[key];
  const next: EventQuery = { ...q };
  if (on) delete next[key];
  else Object.assign(next, patch);
  return next;
}

export function FilterBar() {
  const store = useStoreInstance();
  const search = useStore((s) => s.search);
  // The chips reflect the person's own filter, not the keepalive clause the switch adds to the query.
  const query = parseSearch(search).query;
  const problems = useStore((s) => s.searchProblems);
  useStore((s) => s.logVersion);
  const [text, setText] = useState(search);
  const [focused, setFocused] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const completions = focused ? completeFilter(text).slice(0, 8) : [];
  const accept = (next: string): void => {
    setText(next);
    ref.current?.focus();
  };
  useEffect(() => setText(search), [search]);
  // Typing filters after a short pause, so a million rows are not re-filtered per keystroke.
  useEffect(() => {
    if (text === store.getState().search) return;
    const t = setTimeout(() => store.setSearch(text), 180);
    return () => clearTimeout(t);
  }, [text, store]);
  const model = store.model();
  const shown = model?.count ?? 0;
  const indexing = useStore((s) => s.sources.find((x) => x.id === s.activeSource)?.indexing ?? false);
  const trimmed = model && 'trimmed' in model ? model.trimmed : 0;
  const total =
    model && 'events' in model
      ? model.events.length
      : (store.getState().sources.find((s) => s.id === store.getState().activeSource)?.events ?? shown);

  return (
    <div className="filterbar">
      <input
        ref={ref}
        id="filter-input"
        className="input"
        data-testid="filter"
        placeholder="Filter ( / ): action:BootNotification from:cs (type:error OR is:findings) -cp:CP9, or any text"
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={(e) => {
          if (e.key === 'Tab' && completions[0]) {
            e.preventDefault();
            accept(completions[0].text);
            return;
          }
          if (e.key === 'Enter') store.setSearch(text);
          if (e.key === 'Escape') {
            setText('');
            store.setSearch('');
            ref.current?.blur();
          }
        }}
      />
      {completions.length > 0 && (
        <ul className="filter-completions" data-testid="filter-completions" role="listbox">
          {completions.map((c) => (
            <li key={c.label} role="option" aria-selected={false}>
              <button
                type="button"
                data-testid={`filter-completion-${c.label}`}
                // mousedown, not click: a click would blur the input first and hide the list.
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(c.text);
                }}
              >
                <code>{c.label}</code> <span className="muted">{c.hint}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="chips">
        {QUICK.map((c) => {
          const key = Object.keys(c.patch)[0] as keyof EventQuery;
          const active = query[key] === c.patch[key];
          return (
            <button
              key={c.label}
              type="button"
              className={`chip${active ? ' active' : ''}`}
              title={c.title}
              data-testid={`chip-${c.label.toLowerCase().replace(/\s+/g, '-')}`}
              onClick={() =>
                store.setSearch(formatSearch(toggled(parseSearch(text, model?.at(0)?.t).query, c.patch)))
              }
            >
              {c.label}
            </button>
          );
        })}
        <KeepaliveSwitch />
        <ColumnMenu />
      </div>
      <span className="count" data-testid="log-count">
        {shown === total ? `${formatCount(total)} events` : `${formatCount(shown)} of ${formatCount(total)}`}
      </span>
      {trimmed > 0 && (
        <span
          className="count"
          title="The window keeps the newest events in memory; older ones stay in the engine and in recordings."
        >
          (+{formatCount(trimmed)} older)
        </span>
      )}
      {indexing && (
        <span className="count" data-testid="indexing" style={{ width: 90 }}>
          <Progress /> indexing…
        </span>
      )}
      {problems.length > 0 && (
        <span
          className="warn-text"
          data-testid="filter-problem"
          title={`Keys: ${FILTER_KEYS.map((k) => k.key).join(', ')}; AND, OR, NOT (or -), parentheses, "quoted text"`}
        >
          not understood: {problems.join(' ')}
        </span>
      )}
    </div>
  );
}
