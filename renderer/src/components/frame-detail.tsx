import { diagnoseOpened } from '../../../shared/capture/handshake-diagnosis';
import { DiagnosisText } from './connection-diagnosis';
import { useEffect, useState } from 'react';
import { isJsonObject, type JsonValue } from '../../../shared/ocpp/json';
import { composeReply } from '../composer/replies';
import { formatSearch } from '../logic/filter';
import {
  directionLabel,
  eventSummary,
  formatDateTime,
  formatRtt,
  messageTypeName,
  sentByUs,
} from '../logic/format';
import { highlight } from '../logic/highlight';
import { payloadIndex } from '../logic/json-tokens';
import { useStore, useStoreInstance } from '../state/hooks';
import type { Finding, FrameEvent, ScopeEvent } from '../types';
import { CopyButton } from './common';
import { JsonView } from './json-view';
import { TransferDetail } from './transfer-detail';

function FindingList({ findings, testId }: { findings: Finding[]; testId?: string }) {
  if (findings.length === 0) return null;
  return (
    <div data-testid={testId}>
      {findings.map((f, i) => (
        <div key={i} className={`finding ${f.severity}`} data-testid="finding" data-code={f.code}>
          <span
            className={
              f.severity === 'error' ? 'error-text' : f.severity === 'warning' ? 'warn-text' : 'muted'
            }
          >
            {f.severity === 'error' ? '●' : f.severity === 'warning' ? '▲' : 'i'}
          </span>
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
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** Frames larger than this are shown raw only: tokenizing megabytes of JSON into spans would stall the window. */
const PRETTY_LIMIT = 256 * 1024;

function parsed(text: string): JsonValue | undefined {
  if (text.length > PRETTY_LIMIT) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function PartnerCard({ partner, self }: { partner: ScopeEvent | undefined; self: FrameEvent }) {
  const store = useStoreInstance();
  const rtt = self.pair?.rttMs ?? (partner?.kind === 'frame' ? partner.pair?.rttMs : undefined);
  if (self.msg?.type === 6) return null;
  const isRequest = self.msg?.type === 2;
  return (
    <>
      <div className="block-title">{isRequest ? 'Response' : 'Request'}</div>
      {partner && partner.kind === 'frame' ? (
        <div className="partner-card" data-testid="partner" onClick={() => store.select(partner)}>
          <div className="row">
            <b>{messageTypeName(partner.msg?.type)}</b>
            <span>{partner.msg?.action ?? ''}</span>
            <span className="grow" />
            {rtt !== undefined && (
              <span className="badge accent" data-testid="partner-rtt">
                RTT {formatRtt(rtt)}
              </span>
            )}
          </div>
          <div
            className="muted mono"
            style={{ marginTop: 4, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
          >
            {partner.text}
          </div>
          <div className="muted" style={{ marginTop: 4, fontSize: 11 }}>
            {directionLabel(partner.sender)} · click to show it
          </div>
        </div>
      ) : (
        <div className="empty" data-testid="partner-missing">
          {isRequest
            ? 'No response yet.'
            : 'The request this answers is not in this log (it came before recording started, or the id is unknown).'}
        </div>
      )}
      {partner && (
        <dl className="kv" style={{ marginTop: 8 }} data-testid="timings">
          <dt>Request</dt>
          <dd className="mono">{formatDateTime(isRequest ? self.t : partner.t)}</dd>
          <dt>Response</dt>
          <dd className="mono">{formatDateTime(isRequest ? partner.t : self.t)}</dd>
          {rtt !== undefined && (
            <>
              <dt>Round trip</dt>
              <dd>{formatRtt(rtt)} (monotonic clock of the side that measured it)</dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}

const RAW_LIMIT = 512 * 1024;

/** The exact text; a huge one is cut for display only (copy still takes all of it) until asked for in full. */
function RawText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  // The filter's free text, marked where it occurs, so the reason a row matched is visible.
  const needle = useStore((s) => s.query.text);
  const cut = !all && text.length > RAW_LIMIT;
  const shown = cut ? text.slice(0, RAW_LIMIT) : text;
  return (
    <>
      <pre className="code mono" data-testid="detail-raw">
        {highlight(shown, needle).map((p, i) =>
          p.match ? (
            <mark key={i} className="search-hit">
              {p.text}
            </mark>
          ) : (
            p.text
          ),
        )}
      </pre>
      {cut && (
        <button type="button" className="btn small mt" onClick={() => setAll(true)}>
          Show all {text.length.toLocaleString('en-US')} characters
        </button>
      )}
    </>
  );
}

function FrameBody({ e }: { e: FrameEvent }) {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const connections = useStore((s) => s.connections);
  const conn = connections.find((c) => c.id === e.conn);
  const model = store.model();
  const [partner, setPartner] = useState<ScopeEvent | undefined>(() => model?.partnerOf(e));
  useEffect(() => {
    const known = model?.partnerOf(e);
    setPartner(known);
    if (!known && model && 'findPartner' in model) void model.findPartner(e).then(setPartner);
  }, [e, model, store.getState().logVersion]);

  const value = parsed(e.text);
  const idx = payloadIndex(e.msg?.type);
  const payload = Array.isArray(value) && idx !== undefined ? value[idx] : undefined;
  const flagged = e.findings.map((f) => f.path).filter((p): p is string => p !== undefined);
  const fromThem = conn ? !sentByUs(e.sender, conn.role) : false;
  const version = conn?.version;

  const reply = (kind: 'result' | 'error') => composeReply(store, e, version, kind);

  return (
    <>
      <dl className="kv">
        <dt>Type</dt>
        <dd data-testid="detail-type">{e.msg ? messageTypeName(e.msg.type) : 'not a valid frame'}</dd>
        {e.msg?.action && (
          <>
            <dt>Action</dt>
            <dd data-testid="detail-action">{e.msg.action}</dd>
          </>
        )}
        {e.msg && (
          <>
            <dt>Message id</dt>
            <dd className="mono">{e.msg.id}</dd>
          </>
        )}
        {e.msg?.errorCode && (
          <>
            <dt>Error code</dt>
            <dd className="error-text">{e.msg.errorCode}</dd>
          </>
        )}
        <dt>Direction</dt>
        <dd>
          {directionLabel(e.sender)}
          {conn && <span className="muted"> · {fromThem ? 'received' : 'sent by this tool'}</span>}
        </dd>
        <dt>Connection</dt>
        <dd>
          {store.connectionLabel(e.conn)} {version && <span className="badge accent">OCPP {version}</span>}
        </dd>
        <dt>Time</dt>
        <dd className="mono">{formatDateTime(e.t)}</dd>
        {e.pair?.rttMs !== undefined && (
          <>
            <dt>Round trip</dt>
            <dd data-testid="detail-rtt">{formatRtt(e.pair.rttMs)}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>{new TextEncoder().encode(e.text).length} bytes</dd>
      </dl>
      <div className="row wrap">
        {e.msg?.type === 2 && fromThem && (
          <>
            <button
              type="button"
              className="btn small"
              data-testid="detail-reply"
              onClick={() => void reply('result')}
            >
              Reply in composer
            </button>
            <button type="button" className="btn small" onClick={() => void reply('error')}>
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
      {e.problem && (
        <>
          <div className="block-title">Why this is not a valid frame</div>
          <div className="finding error" data-testid="frame-problem">
            <div>
              <div>{e.problem.message}</div>
              <div className="muted">
                <code>{e.problem.code}</code> · a strict peer answers <code>{e.problem.errorCode}</code>
                {e.problem.position !== undefined && <> · at character {e.problem.position}</>}
              </div>
            </div>
          </div>
        </>
      )}
      {e.findings.length > 0 && (
        <>
          <div className="block-title">
            Findings <span className="badge warn">{e.findings.length}</span>
          </div>
          <FindingList findings={e.findings} testId="detail-findings" />
        </>
      )}
      {e.msg && <PartnerCard partner={partner} self={e} />}
      {payload !== undefined && isJsonObject(payload) && e.text.length <= PRETTY_LIMIT && (
        <>
          <div className="block-title">
            Payload
            <span className="spacer" />
            <CopyButton text={JSON.stringify(payload, null, 2)} label="Copy JSON" testId="copy-payload" />
          </div>
          <JsonView value={payload} flagged={flagged} testId="detail-payload" />
        </>
      )}
      {e.text.length > PRETTY_LIMIT && (
        <div className="muted mt">
          A large frame ({e.text.length.toLocaleString('en-US')} characters): the pretty view is off so the
          window stays quick; the raw text is below.
        </div>
      )}
      <div className="block-title">
        Raw text, exactly as sent{e.binary ? ' (binary, base64)' : ''}
        <span className="spacer" />
        <CopyButton text={e.text} testId="copy-raw" />
      </div>
      <RawText text={e.text} />
    </>
  );
}

function OtherBody({ e }: { e: ScopeEvent }) {
  const store = useStoreInstance();
  return (
    <>
      <dl className="kv">
        <dt>Event</dt>
        <dd>{e.kind}</dd>
        <dt>Connection</dt>
        <dd>{store.connectionLabel(e.conn)}</dd>
        <dt>Time</dt>
        <dd className="mono">{formatDateTime(e.t)}</dd>
        <dt>Summary</dt>
        <dd>{eventSummary(e)}</dd>
      </dl>
      {e.kind === 'opened' && <DiagnosisText d={diagnoseOpened(e)} testId="detail-diagnosis" />}
      {e.kind === 'opened' && e.handshake.findings.length > 0 && (
        <FindingList findings={e.handshake.findings} />
      )}
      {e.kind === 'opened' && (
        <button
          type="button"
          className="btn small"
          onClick={() => store.set({ handshakeConnection: e.conn, detailTab: 'handshake' })}
        >
          Inspect the handshake
        </button>
      )}
      {e.kind === 'note' && e.findings && <FindingList findings={e.findings} />}
      {e.kind === 'transfer' && <TransferDetail e={e} />}
      {e.kind === 'closed' && (
        <dl className="kv mt">
          <dt>Close code</dt>
          <dd>{e.code}</dd>
          <dt>Reason</dt>
          <dd>{e.reason || '(none)'}</dd>
          <dt>Closed by</dt>
          <dd>
            {e.by === 'local' ? 'this tool' : e.by === 'remote' ? 'the peer' : 'nobody (connection lost)'}
          </dd>
          <dt>Clean</dt>
          <dd>{e.clean ? 'yes' : 'no: the TCP connection ended without a close handshake'}</dd>
        </dl>
      )}
    </>
  );
}

export function FrameDetail() {
  const selected = useStore((s) => s.selected);
  if (!selected)
    return (
      <div className="pane-body">
        <div className="empty">
          Select a row in the log to see its payload, the exact raw text, its findings and the frame it pairs
          with. Use <kbd>↑</kbd> <kbd>↓</kbd> to move and <kbd>P</kbd> to jump to the partner.
        </div>
      </div>
    );
  return (
    <div className="pane-body" data-testid="frame-detail">
      {selected.kind === 'frame' ? <FrameBody e={selected} /> : <OtherBody e={selected} />}
    </div>
  );
}
