import { closeSync, openSync, writeSync } from 'node:fs';
import type { ScopeEvent } from '../../../shared/capture/events';
import { encodeEvent, encodeHeader, makeHeader } from '../../../shared/capture/format';
import { eventsToHar } from '../../../shared/capture/har';
import { redactEvent } from '../../../shared/capture/redact';
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

async function* maybeRedacted(source: EventSource, redact: boolean): AsyncIterable<ScopeEvent> {
  for await (const e of source.events()) yield redact ? redactEvent(e) : e;
}

function connectionsOf(source: EventSource, redact: boolean): ReturnType<EventSource['connections']> {
  return source
    .connections()
    .map((c) =>
      redact ? { ...c, url: c.url.replace(/^([a-z]+:\/\/[^/:@]*):[^/@]*@/i, '$1:***REDACTED***@') } : c,
    );
}

/** The whole export as a string (what EngineApi.exportSource returns to the UI). */
export async function exportToString(
  source: EventSource,
  options: ExportOptions,
): Promise<{ name: string; data: string }> {
  await source.whenIndexed();
  const name = exportName(source, options.format);
  if (options.format === 'har') {
    const events: ScopeEvent[] = [];
    for await (const e of maybeRedacted(source, options.redact)) events.push(e);
    return { name, data: eventsToHar(events, options.tool) };
  }
  const parts = [
    encodeHeader(makeHeader(options.tool, connectionsOf(source, options.redact), { source: source.name })),
  ];
  for await (const e of maybeRedacted(source, options.redact)) parts.push(encodeEvent(e));
  return { name, data: parts.join('') };
}

/** Streams an export to a file without holding it in memory (captures); HAR is built in memory. */
export async function exportToFile(
  source: EventSource,
  path: string,
  options: ExportOptions,
): Promise<number> {
  await source.whenIndexed();
  if (options.format === 'har') {
    const { data } = await exportToString(source, options);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    return source.info().events;
  }
  const fd = openSync(path, 'w');
  let n = 0;
  try {
    writeSync(
      fd,
      encodeHeader(makeHeader(options.tool, connectionsOf(source, options.redact), { source: source.name })),
    );
    let batch: string[] = [];
    for await (const e of maybeRedacted(source, options.redact)) {
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
  return n;
}
