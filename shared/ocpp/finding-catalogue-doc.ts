import type { FindingArea, FindingSpec } from './finding-catalogue';
import { FAILURE_CATALOGUE, FINDING_CATALOGUE } from './finding-catalogue';

const AREAS: Record<FindingArea, string> = {
  frame: 'Framing (OCPP-J RPC)',
  schema: 'Schema validation',
  pairing: 'Requests and responses',
  behaviour: 'Behaviour across frames',
  handshake: 'WebSocket upgrade and security profiles',
  connection: 'Connection',
  limits: 'Limits against hostile peers',
  proxy: 'Proxy',
  capture: 'Capture files',
  pcap: 'pcap / pcapng import',
  replay: 'Replay',
  transfer: 'File transfers (the file server)',
  engine: 'Engine',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function table(rows: readonly FindingSpec[]): string[] {
  return [
    '| code | severity | meaning | spec |',
    '|---|---|---|---|',
    ...rows.map((f) => `| \`${f.code}\` | ${f.severity} | ${cell(f.meaning)} | ${f.spec ?? ''} |`),
  ];
}

/** docs/findings.md, generated from the catalogue so that the two cannot drift (a test compares them). */
export function renderFindingsDoc(): string {
  const out = [
    '# Findings',
    '',
    '<!-- Generated from shared/ocpp/finding-catalogue.ts by `npm run gen:findings`; do not edit by hand. -->',
    '',
    'Every finding OCPP Scope records has a stable code, a severity and a one-line meaning; the message on each',
    'finding says the specifics (which property, which id, how many). Findings annotate and never block. The spec',
    'column cites a section or requirement id only: OCPP-J sections are numbered alike in the 1.6 and 2.x',
    'documents; RFC 6455 is the WebSocket protocol.',
    '',
  ];
  for (const area of Object.keys(AREAS) as FindingArea[]) {
    const rows = FINDING_CATALOGUE.filter((f) => f.area === area);
    if (rows.length === 0) continue;
    out.push(`## ${AREAS[area]}`, '', ...table(rows), '');
  }
  out.push(
    '## Why a connection attempt failed',
    '',
    'A failed attempt records the one step that stopped it (`handshake.failure.code`), with a sentence for the',
    'installer and the underlying error for engineers.',
    '',
    ...table(FAILURE_CATALOGUE),
    '',
  );
  return out.join('\n');
}
