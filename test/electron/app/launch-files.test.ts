import { describe, expect, it } from 'vitest';
import { launchFiles } from '../../../electron/app/launch-files';

describe('launchFiles: what the OS or a command line asks the app to open', () => {
  const exists = (p: string) => !p.includes('missing');
  it('keeps existing captures, HAR and pcap files, resolved against the working directory', () => {
    expect(
      launchFiles(
        [
          '--inspect',
          'a.ocppcap.jsonl',
          '/abs/b.HAR',
          'c.pcapng',
          'd.pcap',
          'notes.txt',
          'missing.pcap',
          'a.ocppcap.jsonl',
        ],
        '/work',
        exists,
      ),
    ).toEqual(['/work/a.ocppcap.jsonl', '/abs/b.HAR', '/work/c.pcapng', '/work/d.pcap']);
  });
  it('ignores switches, even ones that look like files', () => {
    expect(launchFiles(['--user-data-dir=/x/y.har', '.'], '/work', exists)).toEqual([]);
  });
});
