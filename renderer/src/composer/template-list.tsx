import { useState } from 'react';
import type { ActionInfo } from '../../../shared/ocpp/actions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { actionsFor } from './schema-catalog';

/** Every action of the version as a template, the ones this side sends first; plus the error frames. */
export function TemplateList(props: {
  version: OcppVersion;
  ours: 'csms' | 'station';
  onPick: (a: ActionInfo | string) => void;
}) {
  const [q, setQ] = useState('');
  const actions = actionsFor(props.version);
  const match = (a: ActionInfo) => a.name.toLowerCase().includes(q.toLowerCase());
  const mine = actions.filter((a) => (a.sender === props.ours || a.sender === 'both') && match(a));
  const theirs = actions.filter((a) => a.sender !== props.ours && a.sender !== 'both' && match(a));
  const item = (a: ActionInfo) => (
    <button
      key={a.name}
      type="button"
      className="template-item"
      data-testid="template"
      data-action={a.name}
      title={a.sendOnly ? 'SEND (message type 6): never answered' : `CALL ${a.name} with an example payload`}
      onClick={() => props.onPick(a)}
    >
      {a.name}
      {a.sendOnly && <span className="muted"> · SEND</span>}
      {a.security && <span className="muted"> · sec</span>}
    </button>
  );
  return (
    <div className="composer-side">
      <input
        className="input"
        placeholder="Find a template…"
        value={q}
        data-testid="template-search"
        onChange={(e) => setQ(e.target.value)}
      />
      <div className="template-list">
        <div className="template-group">Frames</div>
        <button type="button" className="template-item" onClick={() => props.onPick('callerror')}>
          CALLERROR
        </button>
        {props.version === '2.1' && (
          <button type="button" className="template-item" onClick={() => props.onPick('callresulterror')}>
            CALLRESULTERROR
          </button>
        )}
        <div className="template-group">You send ({props.ours === 'csms' ? 'CSMS → CS' : 'CS → CSMS'})</div>
        {mine.map(item)}
        <div className="template-group">The other side sends</div>
        {theirs.map(item)}
      </div>
    </div>
  );
}
