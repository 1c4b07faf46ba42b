import { useStore } from '../state/hooks';

export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} data-testid="toast" data-tone={t.tone}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
