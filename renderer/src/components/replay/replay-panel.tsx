import { splitIgnoreText } from '../../../../shared/capture/ignore-rules';
import { useStore, useStoreInstance } from '../../state/hooks';
import { ReplayControls } from './replay-controls';
import { ReplayFormFields } from './replay-form';
import { ReplayProgress } from './replay-progress';
import { ReportView } from './report-view';
import { useReplayForm } from './use-replay-form';

/**
 * The Replay tab: replays one side of an opened capture against a live peer (a CSMS by URL, or a charger on the
 * endpoint: one connected now, or the next one that connects) and shows the labelled report, which lives in the
 * store and so survives leaving the tab.
 */
export function ReplayPanel() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources.filter((x) => x.kind === 'capture'));
  const active = useStore((s) => s.activeSource);
  const replay = useStore((s) => s.replay);
  const [form, update] = useReplayForm();
  const source =
    form.sourceId && sources.some((s) => s.id === form.sourceId)
      ? form.sourceId
      : sources.some((s) => s.id === active)
        ? active
        : sources[0]?.id;
  const wait = form.side === 'csms' && form.charger === '';
  const target = form.side === 'station' ? form.url : form.charger;
  const name = sources.find((s) => s.id === source)?.name;

  const start = () =>
    void store.run('Starting the replay', async () => {
      if (!source) return;
      store.set({
        replay: await store.api.startReplay({
          sourceId: source,
          side: form.side,
          target,
          speed: form.speed,
          shiftTimestamps: form.shift,
          timeoutSec: form.timeoutSec,
          ignore: splitIgnoreText(form.ignore),
          ...(wait ? { waitForCharger: true } : {}),
          ...(form.recordedConn ? { connection: form.recordedConn } : {}),
          ...(name ? { label: name } : {}),
        }),
      });
    });

  return (
    <div className="split" data-testid="replay-panel">
      <div>
        <ReplayFormFields form={form} update={update} source={source} />
        <ReplayControls replay={replay} onStart={start} canStart={!!source && (wait || target !== '')} />
      </div>
      <div>
        <ReplayProgress replay={replay} />
        {replay.report.length === 0 && !replay.label ? (
          <div className="empty">
            Open a capture, choose which side this tool plays and where the live peer is, then <b>Start</b>.
            Each recorded exchange is compared with what the live peer answers, leaving out what the ignore
            rules name; differences show here with their paths. The report stays here when you switch tabs,
            and exports as HTML or JSON.
          </div>
        ) : (
          <ReportView status={replay} prefix="replay" />
        )}
      </div>
    </div>
  );
}
