import { zoneDescription } from '../../../shared/time-zone';
import { useStore, useStoreInstance } from '../state/hooks';

/** Local time / UTC for every time shown; saved in the settings (the CLI's --utc is the same switch). */
export function TimeZoneSwitch() {
  const store = useStoreInstance();
  const settings = useStore((s) => s.settings);
  const zone = settings?.timeZone ?? 'local';
  const toggle = () => {
    if (!settings) return;
    const next = { ...settings, timeZone: zone === 'local' ? ('utc' as const) : ('local' as const) };
    void store.run('Switching the time zone', async () =>
      store.set({ settings: await store.api.saveSettings(next) }),
    );
  };
  return (
    <button
      type="button"
      className="btn small ghost"
      data-testid="time-zone"
      data-zone={zone}
      title={`Times are shown in ${zoneDescription(zone)}. Click for ${zone === 'local' ? 'UTC' : 'local time'}.`}
      onClick={toggle}
    >
      {zone === 'local' ? 'Local time' : 'UTC'}
    </button>
  );
}
