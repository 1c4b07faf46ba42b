import { useStore } from '../state/hooks';
import { FrameBody } from './detail/frame-body';
import { OtherBody } from './detail/other-body';

/** The Detail tab: the selected row in full. */
export function FrameDetail() {
  const selected = useStore((s) => s.selected);
  if (!selected)
    return (
      <div className="pane-body">
        <div className="empty">
          Select a row in the log to see its payload, the exact raw text, its findings and the frame it pairs
          with. Use <kbd>↑</kbd> <kbd>↓</kbd> to move and <kbd>P</kbd> to jump to the partner.
        </div>
      </div>
    );
  return (
    <div className="pane-body" data-testid="frame-detail">
      {selected.kind === 'frame' ? <FrameBody e={selected} /> : <OtherBody e={selected} />}
    </div>
  );
}
