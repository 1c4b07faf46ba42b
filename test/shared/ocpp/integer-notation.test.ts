import { describe, expect, it } from 'vitest';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import { fractionalNumbers, integerNotationFindings } from '../../../shared/ocpp/integer-notation';
import { PairingTracker } from '../../../shared/ocpp/pairing';
import { SCHEMA_INDEX } from '../../../shared/ocpp/generated/schema-index';

type Node = Record<string, unknown>;

/** For each integer property of a schema: a payload text holding it, written 1.0, and its JSON pointer. */
function integerPlacements(root: Node): { text: string; path: string }[] {
  const out: { text: string; path: string }[] = [];
  const deref = (n: Node): Node =>
    typeof n.$ref === 'string'
      ? deref(
          n.$ref
            .split('#/')[1]!
            .split('/')
            .reduce<Node>((t, k) => t[k] as Node, root),
        )
      : n;
  const walk = (node: Node, wrap: (inner: string) => string, path: string, depth: number): void => {
    const n = deref(node);
    if (depth > 8) return;
    const t = n.type;
    if (path && (t === 'integer' || (Array.isArray(t) && t.includes('integer'))))
      out.push({ text: wrap(' 1.0'), path });
    for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, Node>))
      walk(v, (inner) => wrap(`{"x":"y",${JSON.stringify(k)} :${inner}}`), `${path}/${k}`, depth + 1);
    if (n.items && typeof n.items === 'object')
      walk(n.items as Node, (inner) => wrap(`[${inner}]`), `${path}/0`, depth + 1);
  };
  walk(root, (inner) => inner, '', 0);
  return out;
}

const start = (meterStart: string): string =>
  `[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":${meterStart},"timestamp":"2024-01-01T00:00:00.000Z"}]`;

describe('1.6 integers written with a fraction or exponent (draft-04)', () => {
  it.each(['1.0', '1e3', '1E+3', '-2.50'])('flags meterStart: %s as TypeConstraintViolation', (raw) => {
    const a = analyzeFrame({
      text: start(raw),
      sender: 'station',
      conn: 'c',
      seq: 1,
      mono: 0,
      version: '1.6',
    });
    const f = a.findings.filter((x) => x.code === 'schema-integer-notation');
    expect(f).toEqual([
      expect.objectContaining({
        path: '/meterStart',
        errorCode: 'TypeConstraintViolation',
        severity: 'error',
      }),
    ]);
    expect(f[0]!.message).toContain(raw);
  });

  it('says nothing for plain integers, for 2.x, for decimal fields, or for numbers inside strings', () => {
    const none = (text: string, version: '1.6' | '2.0.1' = '1.6') =>
      analyzeFrame({ text, sender: 'station', conn: 'c', seq: 1, mono: 0, version }).findings.filter(
        (x) => x.code === 'schema-integer-notation',
      );
    expect(none(start('1000'))).toEqual([]);
    expect(
      none(
        '[2,"1","TransactionEvent",{"eventType":"Started","timestamp":"2024-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":1.0,"transactionInfo":{"transactionId":"t"}}]',
        '2.0.1',
      ),
    ).toEqual([]);
    // SetChargingProfile: limit is a decimal, chargingProfileId an integer (inside nested objects and arrays).
    const profile =
      '[2,"1","SetChargingProfile",{"connectorId":1,"csChargingProfiles":{"chargingProfileId":5.0,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7.5},{"startPeriod":6e1,"limit":3.7}]}}}]';
    expect(none(profile).map((f) => f.path)).toEqual([
      '/csChargingProfiles/chargingProfileId',
      '/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/1/startPeriod',
    ]);
    expect(none('[2,"1","DataTransfer",{"vendorId":"v","data":"meterStart:1.0"}]')).toEqual([]);
  });

  it('checks responses against the response schema (paired to know the action)', () => {
    const tracker = new PairingTracker();
    analyzeFrame({
      text: start('5'),
      sender: 'station',
      conn: 'c',
      seq: 1,
      mono: 0,
      tracker,
      version: '1.6',
    });
    const r = analyzeFrame({
      text: '[3,"1",{"transactionId":1e2,"idTagInfo":{"status":"Accepted"}}]',
      sender: 'csms',
      conn: 'c',
      seq: 2,
      mono: 1,
      tracker,
      version: '1.6',
    });
    expect(r.findings.map((f) => f.path)).toContain('/transactionId');
  });

  it('finds pointers at any depth without recursion', () => {
    const deep = '['.repeat(100_000) + '1.5' + ']'.repeat(100_000);
    expect(fractionalNumbers(deep)).toHaveLength(1);
    expect(
      integerNotationFindings('1.6', 'Heartbeat', 'request', `[2,"1","Heartbeat",{"x":${deep}}]`),
    ).toEqual([]);
  });

  it('finds every integer property of every 1.6 schema written with a fraction, whatever its name', () => {
    let checked = 0;
    for (const [action, pair] of Object.entries(SCHEMA_INDEX['1.6'])) {
      for (const kind of ['request', 'response'] as const) {
        const schema = pair[kind] as Node | undefined;
        if (!schema) continue;
        for (const { text, path } of integerPlacements(schema)) {
          const frame = kind === 'request' ? `[2,"1","${action}",${text}]` : `[3,"1",${text}]`;
          const found = integerNotationFindings('1.6', action, kind, frame).map((f) => f.path);
          expect(found, `${action} ${kind} ${path}`).toContain(path);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
