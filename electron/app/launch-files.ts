import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** What the OS hands the app to open (file associations in build/electron-builder.json, "Open with", drag on icon). */
const OPENABLE = ['.ocppcap.jsonl', '.jsonl', '.har', '.pcap', '.pcapng', '.cap'];

/**
 * The files among a command line (the app's own argv at launch, or a second instance's argv): arguments that are
 * not switches, name an openable file and exist, resolved against the directory the command ran in.
 */
export function launchFiles(
  argv: readonly string[],
  cwd: string,
  exists: (p: string) => boolean = existsSync,
): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    const lower = arg.toLowerCase();
    if (!OPENABLE.some((ext) => lower.endsWith(ext))) continue;
    const full = resolve(cwd, arg);
    if (exists(full) && !out.includes(full)) out.push(full);
  }
  return out;
}
