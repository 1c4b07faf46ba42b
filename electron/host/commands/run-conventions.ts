import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CAPTURE_EXTENSION } from '../../../shared/capture/format';
import type { TimeZoneMode } from '../../../shared/time-zone';
import { zoneDescription } from '../../../shared/time-zone';
import { Recorder, TOOL_NAME, TOOL_VERSION } from '../../engine';
import type { EventStream } from '../../engine';
import type { CliIo } from '../cli-context';

/** What every long-running command (listen, proxy, connect) accepts beyond its own options. */
export const RUN_OPTIONS = {
  record: { type: 'string' },
  utc: { type: 'boolean' },
} as const;

export const RUN_OPTIONS_HELP = `  --record FILE          write a capture (.ocppcap.jsonl) of everything, readable by inspect and the app
  --utc                  print times in UTC (default: local time; the first line says which)`;

export interface RunConventions {
  record?: string;
  timeZone: TimeZoneMode;
}

export function runConventions(
  values: { record?: string; utc?: boolean },
  io: Pick<CliIo, 'cwd'>,
): RunConventions {
  return {
    ...(values.record !== undefined ? { record: captureFilePath(io, values.record) } : {}),
    timeZone: values.utc ? 'utc' : 'local',
  };
}

/** The file a `--record` name becomes: the capture extension is added when missing; an existing file is refused. */
function captureFilePath(io: Pick<CliIo, 'cwd'>, given: string): string {
  if (given.trim() === '') throw new Error('--record needs a file name.');
  const full = resolve(io.cwd, given.endsWith(CAPTURE_EXTENSION) ? given : given + CAPTURE_EXTENSION);
  if (existsSync(full)) throw new Error(`--record ${given}: ${full} exists already; choose a new name.`);
  return full;
}

/** "Times are local time, Europe/Berlin (UTC+01:00)." */
export function zoneLine(mode: TimeZoneMode): string {
  return `Times are ${zoneDescription(mode)}.`;
}

/**
 * Starts writing the capture `--record` asked for, with the engine's recorder (so the file is the app's own format,
 * crash-safe line by line). Returns the stop function, which closes the file.
 */
export function startRecording(stream: EventStream, file: string): { stop: () => void; file: string } {
  const recorder = new Recorder(stream, {
    folder: dirname(file),
    name: basename(file).slice(0, -CAPTURE_EXTENSION.length),
    tool: `${TOOL_NAME} ${TOOL_VERSION} (CLI)`,
  });
  const status = recorder.start();
  return { stop: () => recorder.stop(), file: status.file ?? file };
}
