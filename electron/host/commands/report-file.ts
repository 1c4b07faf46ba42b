import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReplayStatus } from '../../../shared/api';
import {
  formatReport,
  labelLines,
  reportHtml,
  reportIsClean,
  reportJson,
} from '../../../shared/capture/replay-report';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../cli-context';

/** The help text of `--report`, the same in `replay` and `diff`. */
export const REPORT_HELP = 'also write the labelled report: FILE.html (a page to share) or FILE.json';

/** `--report FILE`: the labelled report as a page to share (.html, .htm) or as JSON (anything else). */
export async function writeReport(
  file: string,
  status: ReplayStatus,
  io: CliIo,
  command: string,
): Promise<boolean> {
  const html = /\.html?$/i.test(file);
  try {
    await writeFile(resolve(io.cwd, file), html ? reportHtml(status) : reportJson(status) + '\n', 'utf8');
    io.stderr.write(`Report written to ${file}\n`);
    return true;
  } catch (e) {
    io.stderr.write(`ocpp-scope ${command}: could not write ${file}: ${(e as Error).message}\n`);
    return false;
  }
}

/** Prints a replay or diff report (labelled text, or JSON), writes `--report`, and returns the exit code. */
export async function emitReport(
  status: ReplayStatus,
  o: { json: boolean; report?: string },
  io: CliIo,
  command: string,
): Promise<number> {
  if (o.json) io.stdout.write(JSON.stringify(status) + '\n');
  else
    io.stdout.write(
      [...labelLines(status).map(([k, v]) => `${k}: ${v}`), ...formatReport(status)].join('\n') + '\n',
    );
  if (o.report && !(await writeReport(o.report, status, io, command))) return EXIT.file;
  if (io.signal.aborted) return EXIT.interrupted;
  return reportIsClean(status) ? EXIT.ok : EXIT.problem;
}
