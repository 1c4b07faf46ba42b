import { formatBytes } from '../units';
import type { TransferEvent } from './events';

/**
 * The one-line description of a transfer event that the log, the CLI and inspect all show, e.g.
 * `upload diag.zip over ftp completed: 1.2 MiB in 340 ms, sha256 3a7b…` or
 * `download fw.bin over http linked to FirmwareStatusNotification Downloaded`.
 */
export function transferSummary(e: TransferEvent): string {
  const head = `${e.direction} ${e.name || '(no name)'} over ${e.protocol}`;
  const size = e.size !== undefined ? ` of ${formatBytes(e.size)}` : '';
  const who = e.identity ? ` for ${e.identity}` : '';
  switch (e.phase) {
    case 'started':
      return `${head} started${who}${e.offset ? ` at byte ${e.offset}` : ''}${size ? ` (${size.slice(4)})` : ''}`;
    case 'progress':
      return `${head}: ${formatBytes(e.bytes)}${size}`;
    case 'completed':
      return `${head} completed: ${formatBytes(e.bytes)}${e.durationMs !== undefined ? ` in ${Math.round(e.durationMs)} ms` : ''}${
        e.sha256 ? `, sha256 ${e.sha256.slice(0, 16)}…` : ''
      }`;
    case 'failed':
      return `${head} failed after ${formatBytes(e.bytes)}: ${e.findings?.[0]?.message ?? 'unknown reason'}`;
    case 'linked':
      return `${head} linked to ${e.notification?.action ?? '?'}${e.notification?.status ? ` ${e.notification.status}` : ''}`;
  }
}
