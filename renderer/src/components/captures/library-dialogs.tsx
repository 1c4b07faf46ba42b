import { useState } from 'react';
import type { CaptureEntry } from '../../../../shared/api';
import { Dialog } from '../common';

/** Asks for a recording's new name (the capture extension is kept or added by the engine). */
export function RenameDialog({
  entry,
  onClose,
  onRename,
}: {
  entry: CaptureEntry;
  onClose: () => void;
  onRename: (name: string) => void;
}) {
  const [name, setName] = useState(entry.name.replace(/\.ocppcap\.jsonl$/, ''));
  return (
    <Dialog
      title={`Rename ${entry.name}`}
      onClose={onClose}
      testId="rename-dialog"
      actions={[
        {
          label: 'Rename',
          testId: 'rename-ok',
          primary: true,
          disabled: name.trim() === '',
          onClick: () => onRename(name),
        },
      ]}
    >
      <label className="field">
        <span>New name</span>
        <input
          className="input"
          autoFocus
          value={name}
          data-testid="rename-input"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && name.trim() !== '') onRename(name);
          }}
        />
      </label>
    </Dialog>
  );
}

/** Deleting a recording cannot be undone: the person confirms with the file named. */
export function DeleteDialog({
  entry,
  onClose,
  onDelete,
}: {
  entry: CaptureEntry;
  onClose: () => void;
  onDelete: () => void;
}) {
  return (
    <Dialog
      title="Delete recording"
      onClose={onClose}
      testId="delete-dialog"
      actions={[{ label: 'Delete', testId: 'delete-confirm', primary: true, onClick: onDelete }]}
    >
      Delete <b>{entry.name}</b> from the capture folder? This cannot be undone.
    </Dialog>
  );
}
