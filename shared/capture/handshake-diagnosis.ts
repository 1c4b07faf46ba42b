import type { Finding, HandshakeRecord, HandshakeStage, OpenedEvent } from './events';

/**
 * The one sentence that explains a failed (or degraded) WebSocket handshake, and the step it failed at. The
 * connection card, the log row, the detail pane, the handshake inspector, the health summary and the diagnosis
 * bundle all show this, so a person reads the same cause wherever they look.
 */
export interface HandshakeDiagnosis {
  step: HandshakeStage;
  /** "authentication", "TLS", ... */
  stepLabel: string;
  /** The failure code or the finding code it comes from (auth-wrong-password, tls-unknown-ca, http-status...). */
  code: string;
  /** One sentence a person understands, with the HTTP answer when there was one. */
  sentence: string;
  /** 'error': the attempt failed; 'warning': it connected, but not as it should (no subprotocol). */
  severity: 'error' | 'warning';
}

export const STEP_LABEL: Record<HandshakeStage, string> = {
  url: 'URL',
  dns: 'DNS',
  tcp: 'TCP connect',
  tls: 'TLS',
  http: 'HTTP upgrade',
  subprotocol: 'subprotocol',
  auth: 'authentication',
};

/** Which step a refusal finding (written by the endpoint when it says no) belongs to. */
const STEP_OF_FINDING: Record<string, HandshakeStage> = {
  'auth-missing': 'auth',
  'auth-unknown-identity': 'auth',
  'auth-wrong-password': 'auth',
  'client-cert-missing': 'tls',
  'client-cert-rejected': 'tls',
  'no-supported-subprotocol': 'subprotocol',
  'no-subprotocol-offered': 'subprotocol',
  'bad-subprotocol-header': 'subprotocol',
  'no-identity': 'url',
};

/** "Answered HTTP 401 Unauthorized." from the status line that was sent (or received). */
function answered(record: HandshakeRecord): string {
  const res = record.response;
  if (!res || res.status === 101) return '';
  const text = res.startLine.replace(/^HTTP\/\S+\s+/, '').trim() || String(res.status);
  return ` Answered HTTP ${text}.`;
}

function sentenceOf(message: string): string {
  const m = message.trim();
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

function mostTelling(findings: readonly Finding[]): Finding | undefined {
  const errors = findings.filter((f) => f.severity === 'error');
  return errors.find((f) => STEP_OF_FINDING[f.code]) ?? errors[0];
}

/** The diagnosis of one handshake; undefined when it connected as it should. */
export function diagnoseHandshake(record: HandshakeRecord, ok: boolean): HandshakeDiagnosis | undefined {
  const make = (
    step: HandshakeStage,
    code: string,
    text: string,
    severity: 'error' | 'warning' = 'error',
  ) => ({
    step,
    stepLabel: STEP_LABEL[step],
    code,
    sentence: `${sentenceOf(text)}${answered(record)}`,
    severity,
  });
  const f = record.failure;
  if (f) {
    // A failure message that already names the status does not need the status line again.
    const d = make(f.stage, f.code, f.message);
    return record.response && f.message.includes(String(record.response.status))
      ? { ...d, sentence: sentenceOf(f.message) }
      : d;
  }
  if (!ok) {
    const telling = mostTelling(record.findings);
    if (telling) return make(STEP_OF_FINDING[telling.code] ?? 'http', telling.code, telling.message);
    if (record.response) return make('http', 'http-status', 'The upgrade was refused');
    return make('tcp', 'no-response', 'The connection ended before the WebSocket upgrade was answered');
  }
  if (!record.chosenProtocol) {
    const why = record.findings.find(
      (x) => STEP_OF_FINDING[x.code] === 'subprotocol' || x.code === 'assumed-version',
    );
    return make(
      'subprotocol',
      why?.code ?? 'no-subprotocol',
      why?.message ?? 'Connected without an OCPP subprotocol: the OCPP version is assumed, not agreed',
      'warning',
    );
  }
  return undefined;
}

export function diagnoseOpened(e: OpenedEvent): HandshakeDiagnosis | undefined {
  return diagnoseHandshake(e.handshake, e.ok);
}

/** "failed at authentication: The password sent for "CP1" is not the configured one. Answered HTTP 401 Unauthorized." */
export function diagnosisLine(d: HandshakeDiagnosis): string {
  return `${d.severity === 'error' ? 'failed at' : 'degraded at'} ${d.stepLabel}: ${d.sentence}`;
}
