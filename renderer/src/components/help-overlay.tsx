import { useStoreInstance } from '../state/hooks';
import { Dialog } from './common';

export const SHORTCUTS: [keys: string[], what: string][] = [
  [['?'], 'Show this list'],
  [['/'], 'Filter the log'],
  [['Esc'], 'Clear the filter / close a dialog'],
  [['↑', '↓'], 'Previous / next row (also J / K)'],
  [['P'], 'Jump to the paired request or response'],
  [['Enter'], 'Reply to the selected CALL, or edit and resend it (also double click)'],
  [['Ctrl', 'C'], 'Copy the selected frame exactly as sent'],
  [['End'], 'Follow the newest frame'],
  [['Home'], 'Go to the first row and stop following'],
  [['Ctrl', 'Enter'], 'Send the frame in the composer'],
  [['Ctrl', 'Space'], 'Complete actions, properties and enum values'],
  [['Ctrl', 'O'], 'Open a capture, HAR or pcap'],
  [['Ctrl', 'S'], 'Save the shown source as a capture (Shift: Save As)'],
  [['Ctrl', 'E'], 'Export a redacted capture (desktop app; Shift: redacted HAR)'],
  [['Ctrl', 'Shift', 'K'], 'Clear the live log in this window (recordings keep everything)'],
  [['R'], 'Record on / off'],
  [['T'], 'Dark / light theme'],
  [['Alt', '1…7'], 'Composer, Auto-answer, Captures, Replay, Files, Stations, Checks'],
  [['H'], 'Handshake of the selected connection'],
  [['D'], 'Show / hide the detail pane'],
  [['Click', 'Time'], 'Wall clock, seconds since the first event, or since the row above'],
];

export function HelpOverlay() {
  const store = useStoreInstance();
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => store.set({ help: false })} testId="help">
      <div className="shortcut-grid">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={what} style={{ display: 'contents' }}>
            <span>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' + '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </span>
            <span>{what}</span>
          </div>
        ))}
      </div>
      <p className="muted" style={{ marginTop: 16, marginBottom: 0 }}>
        Ctrl means ⌘ on a Mac. Letter shortcuts work when the focus is not in a text field.
      </p>
    </Dialog>
  );
}
