import { useCallback, useEffect, useState } from 'react';
import type { CaptureLibrary } from '../../../../shared/api';
import { useStore, useStoreInstance } from '../../state/hooks';

/** While the engine counts a large recording, the listing is asked again this often (it rereads no unchanged file). */
export const COUNTING_POLL_MS = 1500;

/**
 * The capture folder's listing, fetched on mount, after each recording starts or stops, on refresh(), and again
 * while a large file's exact count runs (not for the file being recorded, which is counted when it is closed).
 */
export function useCaptureLibrary(): { library?: CaptureLibrary; refresh: () => void } {
  const store = useStoreInstance();
  const recordingOn = useStore((s) => s.recording.on);
  const recordingPath = useStore((s) => s.recording.file);
  const recordingFile = `${recordingOn} ${recordingPath ?? ''}`;
  const [library, setLibrary] = useState<CaptureLibrary>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void store
      .run('Listing the recordings', () => store.api.listCaptures())
      .then((l) => {
        if (live && l) setLibrary(l);
      });
    return () => {
      live = false;
    };
  }, [store, recordingFile, tick]);
  const counting = library?.entries.some((e) => e.counting && e.path !== recordingPath) ?? false;
  useEffect(() => {
    if (!counting) return undefined;
    const timer = setTimeout(() => setTick((n) => n + 1), COUNTING_POLL_MS);
    return () => clearTimeout(timer);
  }, [counting, library]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return library ? { library, refresh } : { refresh };
}
