import { useCallback, useEffect, useState } from 'react';
import type { CaptureLibrary } from '../../../../shared/api';
import { useStore, useStoreInstance } from '../../state/hooks';

/** The capture folder's listing, fetched on mount, after each recording starts or stops, and on refresh(). */
export function useCaptureLibrary(): { library?: CaptureLibrary; refresh: () => void } {
  const store = useStoreInstance();
  const recordingFile = useStore((s) => `${s.recording.on} ${s.recording.file ?? ''}`);
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
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return library ? { library, refresh } : { refresh };
}
