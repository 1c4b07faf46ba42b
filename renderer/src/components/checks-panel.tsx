import { useState } from 'react';
import { BUILT_IN_SUITES } from '../../../shared/scenario/suites';
import { useStore } from '../state/hooks';
import { CheckPromptDialog } from './check-prompt-dialog';
import { CheckRunControls } from './checks/check-run-controls';
import { CheckVerdicts } from './checks/check-verdicts';
import { ScenarioEditor } from './checks/scenario-editor';
import { ScenarioSource } from './checks/scenario-source';
import { useScenarioDraft } from './checks/use-scenario-draft';

/**
 * The Checks tab: pick a built-in suite, a scenario file, a new scenario or a recording saved as one (edited in
 * Monaco against the scenario schema), the charger (or the CSMS URL), run; live progress per case; manual steps as
 * a dialog; a verdict table whose failures jump to their frames in the log; report export.
 */
export function ChecksPanel() {
  const check = useStore((s) => s.check);
  const [suiteName, setSuiteName] = useState(BUILT_IN_SUITES[0]!.name);
  const [hidden, setHidden] = useState<string>();
  const { draft, parsed, load, edit, close } = useScenarioDraft();

  const scenario = draft
    ? parsed?.ok
      ? parsed.scenario
      : undefined
    : BUILT_IN_SUITES.find((s) => s.name === suiteName);
  const what = draft ? (parsed?.ok ? { scenario: draft.text } : undefined) : { suite: suiteName };

  return (
    <div className="split" data-testid="checks-panel">
      <div>
        <ScenarioSource
          suiteName={suiteName}
          onSuite={(name) => {
            close();
            setSuiteName(name);
          }}
          draftName={draft?.name}
          onLoad={load}
        />
        {draft && (
          <ScenarioEditor
            draft={draft}
            problems={parsed && !parsed.ok ? parsed.problems : []}
            onChange={edit}
            onClose={close}
          />
        )}
        <CheckRunControls role={scenario?.role ?? 'csms'} what={scenario ? what : undefined} />
      </div>
      <CheckVerdicts check={check} />
      {check.prompt && hidden !== check.prompt.id && (
        <CheckPromptDialog prompt={check.prompt} onHide={() => setHidden(check.prompt?.id)} />
      )}
    </div>
  );
}
