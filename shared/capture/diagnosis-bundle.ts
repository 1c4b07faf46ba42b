import type { ChargerHealth } from './charger-health';
import { escapeHtml } from '../html-escape';
import { ChargerHealthBuilder } from './charger-health';
import type { OpenedEvent, ScopeEvent, Severity } from './events';
import { diagnoseOpened, diagnosisLine } from './handshake-diagnosis';

/**
 * The diagnosis bundle for a support ticket: one self-contained HTML page (no script, no external resource, opens in
 * any browser and survives a mail gateway) with the chargers' health, every handshake in one line and every finding
 * counted, written beside the redacted capture it was made from. Built from already-redacted events.
 */

export interface BundleInput {
  /** Events in stream order, already redacted. */
  events: Iterable<ScopeEvent>;
  sourceName: string;
  captureFileName: string;
  generatedAt: number;
  tool: string;
}

interface FindingRow {
  code: string;
  severity: Severity;
  count: number;
  example: string;
  identities: Set<string>;
}

const esc = escapeHtml;

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

const MAX_HANDSHAKE_ROWS = 2000;

function handshakeRow(e: OpenedEvent): string {
  const d = diagnoseOpened(e);
  const hs = e.handshake;
  return `<tr class="${e.ok ? (d ? 'warn' : 'ok') : 'bad'}"><td>${esc(iso(e.t))}</td><td>${esc(e.connection.identity || '(none)')}</td><td>${esc(e.connection.role)}</td><td>${esc(hs.response?.startLine ?? 'no answer')}</td><td>${esc(hs.chosenProtocol ?? '')}</td><td>${esc(hs.tls?.protocol ?? '')}</td><td>${esc(d ? diagnosisLine(d) : 'connected')}</td></tr>`;
}

function healthRow(h: ChargerHealth): string {
  const boot = h.boot ? (h.boot.status === 'unanswered' ? 'not answered' : h.boot.status) : 'not seen';
  const hb = h.heartbeat;
  const heartbeat = hb.count
    ? `agreed ${hb.agreedSec ?? '?'} s, observed ${hb.observedSec ?? '?'} s (${hb.count})`
    : 'none';
  const conns = h.connectors
    .map((c) => `${c.connector}: ${c.status}${c.errorCode ? ` (${c.errorCode})` : ''}`)
    .join(', ');
  const tx = h.lastTransaction
    ? `${h.lastTransaction.event}${h.lastTransaction.id ? ` #${h.lastTransaction.id}` : ''}`
    : '';
  const ping = h.ping.count ? `${h.ping.medianRttMs?.toFixed(1)} ms median` : '';
  return `<tr><td><b>${esc(h.identity)}</b></td><td>${esc(h.state)}</td><td>${esc(boot)}</td><td>${esc(heartbeat)}</td><td>${esc(conns)}</td><td>${esc(tx)}</td><td>${h.findings.error} / ${h.findings.warning} / ${h.findings.info}</td><td>${esc(ping)}</td><td>${h.reconnects} / ${h.failedAttempts}</td><td>${esc(h.lastFailure ? diagnosisLine(h.lastFailure) : '')}</td></tr>`;
}

export function diagnosisBundleHtml(input: BundleInput): string {
  const health = new ChargerHealthBuilder();
  const identities = new Map<string, string>();
  const handshakes: string[] = [];
  let handshakesLeftOut = 0;
  const findings = new Map<string, FindingRow>();
  let events = 0;
  let first: number | undefined;
  let last: number | undefined;
  const note = (code: string, severity: Severity, message: string, conn: string): void => {
    let row = findings.get(code);
    if (!row)
      findings.set(code, (row = { code, severity, count: 0, example: message, identities: new Set() }));
    row.count++;
    row.identities.add(identities.get(conn) ?? conn);
  };
  for (const e of input.events) {
    events++;
    first ??= e.t;
    last = e.t;
    health.add(e);
    if (e.kind === 'opened') {
      identities.set(e.conn, e.connection.identity || e.conn);
      if (handshakes.length < MAX_HANDSHAKE_ROWS) handshakes.push(handshakeRow(e));
      else handshakesLeftOut++;
      for (const f of e.handshake.findings) note(f.code, f.severity, f.message, e.conn);
    } else if (e.kind === 'frame' || e.kind === 'note') {
      for (const f of e.findings ?? []) note(f.code, f.severity, f.message, e.conn);
    }
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const findingRows = [...findings.values()]
    .sort((a, b) => order[a.severity] - order[b.severity] || b.count - a.count)
    .map(
      (f) =>
        `<tr class="${f.severity === 'error' ? 'bad' : f.severity === 'warning' ? 'warn' : ''}"><td>${f.severity}</td><td><code>${esc(f.code)}</code></td><td>${f.count}</td><td>${esc([...f.identities].slice(0, 10).join(', '))}</td><td>${esc(f.example)}</td></tr>`,
    );
  const chargers = health.summaries();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>OCPP diagnosis: ${esc(input.sourceName)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #d5d9e0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f6}tr.bad td{background:#fdecec}tr.warn td{background:#fff6e0}code{font-size:12px}.muted{color:#667}
</style></head><body>
<h1>OCPP diagnosis bundle</h1>
<p class="muted">Source <b>${esc(input.sourceName)}</b> · ${events} events${first !== undefined ? ` from ${esc(iso(first))} to ${esc(iso(last ?? first))}` : ''} · made ${esc(iso(input.generatedAt))} by ${esc(input.tool)}.
Passwords and keys are redacted. The full capture is beside this file: <code>${esc(input.captureFileName)}</code> (open it in OCPP Scope).</p>
<h2>Chargers (${chargers.length})</h2>
<table id="health"><tr><th>Identity</th><th>State</th><th>Boot</th><th>Heartbeat</th><th>Connectors</th><th>Last transaction</th><th>Findings (error / warning / info)</th><th>Ping</th><th>Reconnects / failed</th><th>Last failure</th></tr>
${chargers.map(healthRow).join('\n')}</table>
<h2>Handshakes (${handshakes.length + handshakesLeftOut})</h2>
<table id="handshakes"><tr><th>Time (UTC)</th><th>Identity</th><th>Role</th><th>Answer</th><th>Subprotocol</th><th>TLS</th><th>Result</th></tr>
${handshakes.join('\n')}${handshakesLeftOut ? `\n<tr><td colspan="7">… ${handshakesLeftOut} more in the capture</td></tr>` : ''}</table>
<h2>Findings (${findingRows.length} kinds)</h2>
<table id="findings"><tr><th>Severity</th><th>Code</th><th>Count</th><th>Chargers</th><th>Example</th></tr>
${findingRows.join('\n')}</table>
</body></html>
`;
}
