import { chooseAndOpen } from '../components/open-files';
import { windowSaveTarget } from '../components/save-text';
import { saveActiveSource } from '../state/save-source';
import type { Store } from '../state/store';

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  // Monaco's hidden textarea counts as typing too, so letters never trigger shortcuts inside the editor.
  return (
    tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.closest('.monaco-editor') !== null
  );
}

/**
 * Global shortcuts; the log's own row navigation lives on the log element. The File menu's commands (Electron) run
 * here too; in serve mode, where there is no menu, Ctrl+S and Ctrl+Shift+S do what Save and Save As do.
 */
export function installShortcuts(store: Store): () => void {
  const target = windowSaveTarget();
  const stopMenu = store.api.onMenuCommand?.((command) => void saveActiveSource(store, command, target));
  const onKey = (e: KeyboardEvent): void => {
    const s = store.getState();
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's' && !target.electron) {
      e.preventDefault();
      void saveActiveSource(store, e.shiftKey ? 'save-as' : 'save', target);
      return;
    }
    if (mod && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      void chooseAndOpen(store, document.getElementById('global-file-input') as HTMLInputElement | null);
      return;
    }
    if (mod && e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      store.clearLive();
      store.toast('Cleared this window; the engine and recordings keep every event.', 'info');
      return;
    }
    if (e.altKey && ['1', '2', '3', '4', '5', '6', '7'].includes(e.key)) {
      e.preventDefault();
      store.set({
        bottomTab: (['composer', 'auto', 'captures', 'replay', 'files', 'stations', 'checks'] as const)[
          Number(e.key) - 1
        ],
      });
      return;
    }
    if (e.key === 'Escape' && (s.help || s.settingsOpen || s.stationFormOpen)) {
      store.set({ help: false, settingsOpen: false, stationFormOpen: false });
      return;
    }
    if (mod || e.altKey || typing(e.target)) return;
    switch (e.key) {
      case '?':
        store.set({ help: !s.help });
        break;
      case '/':
        e.preventDefault();
        document.getElementById('filter-input')?.focus();
        break;
      case 't':
        store.setTheme(s.theme === 'dark' ? 'light' : 'dark');
        break;
      case 'r':
        void store.run('Switching recording', async () =>
          store.set({ recording: await store.api.setRecording(!s.recording.on) }),
        );
        break;
      case 'd':
        store.set({ showDetail: !s.showDetail });
        break;
      case 'h':
        store.set({
          showDetail: true,
          detailTab: 'handshake',
          handshakeConnection: s.selected?.conn ?? s.selectedConnection,
        });
        break;
      case 'End':
        if (!(e.target instanceof HTMLElement && e.target.closest('.log-scroll')))
          store.set({ follow: true });
        break;
      default:
        return;
    }
  };
  window.addEventListener('keydown', onKey);
  return () => {
    window.removeEventListener('keydown', onKey);
    stopMenu?.();
  };
}
