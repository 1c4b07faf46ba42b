import type { CaseResult, RunReport } from './scenario-types';
import { countVerdicts } from './verdict';

/**
 * A run as JUnit XML (the common schema CI servers read: testsuites > testsuite > testcase with failure, error or
 * skipped). failed -> <failure>, inconclusive -> <error> (the run could not decide), skipped -> <skipped>. The frames
 * of a failed step go into <system-out>, so a vendor's CI shows what crossed the wire.
 */

function xmlAllowed(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    cp >= 0x10000
  );
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot carry at all. */
export function xmlEscape(text: string): string {
  return [...text]
    .map((ch) => (xmlAllowed(ch.codePointAt(0)!) ? ch : '\uFFFD'))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function caseXml(suite: string, c: CaseResult): string {
  const name = c.octt ? `${c.id} (${c.octt}): ${c.title}` : `${c.id}: ${c.title}`;
  const open = `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(suite)}" time="${seconds(c.durationMs)}"`;
  const body: string[] = [];
  if (c.verdict === 'failed') {
    const f = c.failure;
    const detail = f
      ? `Step ${f.step + 1}: ${f.stepText}\nExpected: ${f.expected}\nActual: ${f.actual}${f.actualFrame ? `\nFrame: ${f.actualFrame}` : ''}`
      : (c.reason ?? '');
    body.push(
      `      <failure message="${xmlEscape(c.reason ?? 'failed')}" type="failed">${xmlEscape(detail)}</failure>`,
    );
  } else if (c.verdict === 'inconclusive') {
    body.push(`      <error message="${xmlEscape(c.reason ?? 'inconclusive')}" type="inconclusive"/>`);
  } else if (c.verdict === 'skipped') {
    body.push(`      <skipped message="${xmlEscape(c.reason ?? 'skipped')}"/>`);
  }
  if (c.verdict !== 'passed' && c.verdict !== 'skipped' && c.frames.length > 0) {
    const lines = c.frames.map(
      (f) => `${new Date(f.t).toISOString()} ${f.sender === 'csms' ? 'CSMS    ' : 'STATION '} ${f.text}`,
    );
    body.push(`      <system-out>${xmlEscape(lines.join('\n'))}</system-out>`);
  }
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

export function junitReport(report: RunReport): string {
  const n = countVerdicts(report.cases);
  const attrs = `name="${xmlEscape(report.suite)}" tests="${report.cases.length}" failures="${n.failed}" errors="${n.inconclusive}"`;
  const time = `time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // The common schema (Jenkins junit-10.xsd) has no skipped count on <testsuites>, only on <testsuite>.
    `<testsuites ${attrs} ${time}>`,
    `  <testsuite ${attrs} skipped="${n.skipped}" ${time} timestamp="${new Date(report.startedAt).toISOString().replace(/\.\d{3}Z$/, '')}" hostname="${xmlEscape(report.peer)}">`,
    '    <properties>',
    `      <property name="ocpp.version" value="${xmlEscape(report.version)}"/>`,
    `      <property name="tool.role" value="${xmlEscape(report.role)}"/>`,
    `      <property name="peer" value="${xmlEscape(report.peer)}"/>`,
    `      <property name="tool" value="${xmlEscape(report.tool)}"/>`,
    '    </properties>',
    ...report.cases.map((c) => caseXml(report.suite, c)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
