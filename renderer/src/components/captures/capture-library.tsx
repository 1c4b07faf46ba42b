import { useState } from 'react';
import type { CaptureEntry } from '../../../../shared/api';
import { splitIgnoreText } from '../../../../shared/capture/ignore-rules';
import { useStore, useStoreInstance } from '../../state/hooks';
import { CopyButton } from '../common';
import { openPath } from '../open-files';
import { ReportView } from '../replay/report-view';
import { currentIgnoreText } from '../replay/use-replay-form';
import { DeleteDialog, RenameDialog } from './library-dialogs';
import { LibraryRow } from './library-row';
import { useCaptureLibrary } from './use-capture-library';

/**
 * The captures library: the recordings in the capture folder, newest first, with open, rename, delete (confirmed),
 * show in folder (the desktop's file manager; serve mode shows the path), and an offline diff of two selected ones
 * with the replay's report and the Replay tab's ignore rules.
 */
export function CaptureLibraryBlock() {
  const store = useStoreInstance();
  const { library, refresh } = useCaptureLibrary();
  const diff = useStore((s) => s.captureDiff);
  const [selected, setSelected] = useState<string[]>([]);
  const [renaming, setRenaming] = useState<CaptureEntry>();
  const [deleting, setDeleting] = useState<CaptureEntry>();
  const [shownPath, setShownPath] = useState<string>();
  const entries = library?.entries ?? [];
  const chosen = selected.filter((p) => entries.some((e) => e.path === p));

  const toggle = (path: string) =>
    setSelected((s) => (s.includes(path) ? s.filter((p) => p !== path) : [...s, path].slice(-2)));
  const rename = async (entry: CaptureEntry, name: string) => {
    setRenaming(undefined);
    const done = await store.run('Renaming', () => store.api.renameCapture(entry.path, name));
    if (done) store.toast(`Renamed to ${done.name}`, 'ok');
    refresh();
  };
  const remove = async (entry: CaptureEntry) => {
    setDeleting(undefined);
    await store.run('Deleting', () => store.api.deleteCapture(entry.path));
    refresh();
  };
  const reveal = async (entry: CaptureEntry) => {
    const r = await store.run('Showing in folder', () => store.api.revealCapture(entry.path));
    if (r && !r.revealed) setShownPath(r.path);
  };
  const runDiff = async () => {
    const [a, b] = chosen;
    if (!a || !b) return;
    const status = await store.run('Comparing', () =>
      store.api.diffCaptures(a, b, splitIgnoreText(currentIgnoreText())),
    );
    if (status) store.set({ captureDiff: status });
  };

  return (
    <div data-testid="library">
      <div className="block-title">
        Recordings
        <span className="spacer" />
        <button type="button" className="btn small" data-testid="library-refresh" onClick={refresh}>
          Refresh
        </button>{' '}
        <button
          type="button"
          className="btn small"
          data-testid="library-diff"
          disabled={chosen.length !== 2}
          title="Select two recordings to compare them, with the replay's report and the Replay tab's ignore rules"
          onClick={() => void runDiff()}
        >
          Diff selected
        </button>
      </div>
      {library && (
        <div className="muted mono" style={{ fontSize: 11 }} data-testid="library-dir">
          {library.dir}
          {library.truncated && ' (the newest 500 are listed)'}
        </div>
      )}
      {shownPath && (
        <div className="url-row" data-testid="library-path">
          <code>{shownPath}</code>
          <CopyButton text={shownPath} />
        </div>
      )}
      {entries.length === 0 ? (
        <div className="empty">
          No recordings yet: switch on Record, or set recording on by default in Settings.
        </div>
      ) : (
        <table className="grid" data-testid="library-table">
          <thead>
            <tr>
              <th />
              <th>Name</th>
              <th>Recorded</th>
              <th>Chargers</th>
              <th>Size</th>
              <th>Findings</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <LibraryRow
                key={e.path}
                entry={e}
                selected={chosen.includes(e.path)}
                actions={{
                  open: () => void openPath(store, e.path),
                  rename: () => setRenaming(e),
                  reveal: () => void reveal(e),
                  remove: () => setDeleting(e),
                  toggle: () => toggle(e.path),
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {diff && (
        <div className="mt" data-testid="diff-result">
          <div className="block-title">
            Comparison
            <span className="spacer" />
            <button type="button" className="btn small" onClick={() => store.set({ captureDiff: undefined })}>
              Close
            </button>
          </div>
          <ReportView status={diff} prefix="diff" />
        </div>
      )}
      {renaming && (
        <RenameDialog
          entry={renaming}
          onClose={() => setRenaming(undefined)}
          onRename={(n) => void rename(renaming, n)}
        />
      )}
      {deleting && (
        <DeleteDialog
          entry={deleting}
          onClose={() => setDeleting(undefined)}
          onDelete={() => void remove(deleting)}
        />
      )}
    </div>
  );
}
