import { closeSync, openSync, writeSync } from 'node:fs';
import type { ScopeEvent } from '../../../shared/capture/events';
import { encodeEvent, encodeHeader, makeHeader, PLAIN_LINES_VERSION } from '../../../shared/capture/format';
import { eventsToHar } from '../../../shared/capture/har';
import { redactEvent, redactUrl } from '../../../shared/capture/redact';
import { RedactionTally } from '../../../shared/capture/redaction-report';
import type { RedactionReportItem } from '../../../shared/capture/redaction-report';
import type { EventSource } from './event-source';

/** Export: redacted unless told otherwise, as a capture (streamed, any size) or a Chrome-style HAR. */

export interface ExportOptions {
  format: 'capture' | 'har';
  redact: boolean;
  tool: string;
}

export function exportName(source: EventSource, format: 'capture' | 'har'): string {
  const stem =
    source.kind === 'live'
      ? `live-${new Date().toISOString().replace(/[:.]/g, '-')}`
      : source.name.replace(/\.ocppcap\.jsonl$/, '').replace(/\.[^.]*$/, '');
  return format === 'har' ? `${stem}.har` : `${stem}.ocppcap.jsonl`;
}

async function* maybeRedacted(
  source: EventSource,
  tally: RedactionTally | undefined,
): AsyncIterable<ScopeEvent> {
  for await (const e of source.events()) yield tally ? redactEvent(e, tally) : e;
}

function connectionsOf(
  source: EventSource,
  tally: RedactionTally | undefined,
): ReturnType<EventSource['connections']> {
  // The header repeats the URLs of the opened events: redacted the same way, but counted once (there).
  const uncounted = new RedactionTally();
  return source.connections().map((c) => (tally ? { ...c, url: redactUrl(c.url, uncounted) } : c));
}

/** The header line of an exported capture: every line JSON.stringify's, so version 1 (PLAIN_LINES_VERSION). */
function exportHeader(source: EventSource, tally: RedactionTally | undefined, tool: string): string {
  return encodeHeader(
    makeHeader(tool, connectionsOf(source, tally), { source: source.name, version: PLAIN_LINES_VERSION }),
  );
}

export interface ExportResult {
  name: string;
  data: string;
  /** What redaction replaced, by rule (absent when not redacted). */
  redaction?: RedactionReportItem[];
}

/** The whole export as a string (what EngineApi.exportSource returns to the UI). */
export async function exportToString(source: EventSource, options: ExportOptions): Promise<ExportResult> {
  await source.whenIndexed();
  const name = exportName(source, options.format);
  const tally = options.redact ? new RedactionTally() : undefined;
  const withReport = (data: string): ExportResult =>
    tally ? { name, data, redaction: tally.report() } : { name, data };
  if (options.format === 'har') {
    const events: ScopeEvent[] = [];
    for await (const e of maybeRedacted(source, tally)) events.push(e);
    return withReport(eventsToHar(events, options.tool));
  }
  const parts = [exportHeader(source, tally, options.tool)];
  for await (const e of maybeRedacted(source, tally)) parts.push(encodeEvent(e));
  return withReport(parts.join(''));
}

/** Streams an export to a file without holding it in memory (captures); HAR is built in memory. */
export async function exportToFile(
  source: EventSource,
  path: string,
  options: ExportOptions,
): Promise<{ events: number; redaction?: RedactionReportItem[] }> {
  await source.whenIndexed();
  if (options.format === 'har') {
    const { data, redaction } = await exportToString(source, options);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    return redaction ? { events: source.info().events, redaction } : { events: source.info().events };
  }
  const tally = options.redact ? new RedactionTally() : undefined;
  const fd = openSync(path, 'w');
  let n = 0;
  try {
    writeSync(fd, exportHeader(source, tally, options.tool));
    let batch: string[] = [];
    for await (const e of maybeRedacted(source, tally)) {
      batch.push(encodeEvent(e));
      n++;
      if (batch.length >= 1000) {
        writeSync(fd, batch.join(''));
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, batch.join(''));
  } finally {
    closeSync(fd);
  }
  return tally ? { events: n, redaction: tally.report() } : { events: n };
}
