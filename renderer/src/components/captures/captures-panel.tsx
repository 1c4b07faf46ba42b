import { CaptureLibraryBlock } from './capture-library';
import { ExportBlock } from './export-block';
import { OpenBlock } from './open-block';
import { RecordingBlock } from './recording-block';
import { SourcesTable } from './sources-table';

/** The Captures tab: recording, opening files, the recordings library, the open sources, and export. */
export function CapturesPanel() {
  return (
    <div className="split" data-testid="captures-panel">
      <div>
        <RecordingBlock />
        <OpenBlock />
        <SourcesTable />
        <ExportBlock />
      </div>
      <div>
        <CaptureLibraryBlock />
      </div>
    </div>
  );
}
