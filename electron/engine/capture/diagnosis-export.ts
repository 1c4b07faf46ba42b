import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScopeEvent } from '../../../shared/capture/events';
import { diagnosisBundleHtml } from '../../../shared/capture/diagnosis-bundle';
import { redactEvent } from '../../../shared/capture/redact';
import type { EventSource } from './event-source';
import { exportToString } from './export-source';

export interface DiagnosisBundle {
  /** The HTML page's file name (…-diagnosis.html) and content. */
  name: string;
  html: string;
  /** The redacted capture written beside it. */
  captureName: string;
  capture: string;
}

/** The bundle of a source: redacted capture plus the self-contained HTML summary read from the same redacted events. */
export async function diagnosisBundle(
  source: EventSource,
  tool: string,
  now = Date.now(),
): Promise<DiagnosisBundle> {
  const capture = await exportToString(source, { format: 'capture', redact: true, tool });
  const stem = capture.name.replace(/\.ocppcap\.jsonl$/, '');
  const events: ScopeEvent[] = [];
  for await (const e of source.events()) events.push(redactEvent(e));
  const html = diagnosisBundleHtml({
    events,
    sourceName: source.name,
    captureFileName: capture.name,
    generatedAt: now,
    tool,
  });
  return { name: `${stem}-diagnosis.html`, html, captureName: capture.name, capture: capture.data };
}

/** Writes the page at `htmlPath` and the capture beside it (same folder, its own name); returns both paths. */
export async function writeDiagnosisBundle(bundle: DiagnosisBundle, htmlPath: string): Promise<string[]> {
  const capturePath = join(dirname(htmlPath), bundle.captureName);
  await writeFile(htmlPath, bundle.html, 'utf8');
  await writeFile(capturePath, bundle.capture, 'utf8');
  return [htmlPath, capturePath];
}
