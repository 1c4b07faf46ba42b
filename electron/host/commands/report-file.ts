import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReplayStatus } from '../../../shared/api';
import { reportHtml, reportJson } from '../../../shared/capture/replay-report';
import type { CliIo } from '../cli-context';

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
