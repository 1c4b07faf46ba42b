import { useMemo, useState } from 'react';
import { parseScenario, type ScenarioParse } from '../../../../shared/scenario/parse-scenario';
import type { Scenario } from '../../../../shared/scenario/scenario-types';
import type { ScenarioDraft } from './scenario-editor';

/** What "New scenario" opens: a small case that shows the shape (Monaco completes the rest from the schema). */
export const NEW_SCENARIO: Scenario = {
  name: 'my-checks',
  version: '1.6',
  role: 'csms',
  cases: [
    {
      id: 'heartbeat-trigger',
      title: 'A triggered Heartbeat comes',
      steps: [
        { step: 'send', action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' } },
        { step: 'expect', messageType: 'CALLRESULT', match: { '/status': { equals: 'Accepted' } } },
        { step: 'expect', messageType: 'CALL', action: 'Heartbeat' },
      ],
    },
  ],
};

export function scenarioText(s: Scenario): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** The scenario being edited (a file, a recording, a copy of a suite, a new one), with its parse. */
export function useScenarioDraft(): {
  draft: ScenarioDraft | undefined;
  parsed: ScenarioParse | undefined;
  load: (name: string, text: string) => void;
  edit: (text: string) => void;
  close: () => void;
} {
  const [draft, setDraft] = useState<ScenarioDraft>();
  const parsed = useMemo(() => (draft ? parseScenario(draft.text) : undefined), [draft]);
  return {
    draft,
    parsed,
    load: (name, text) => setDraft((d) => ({ name, text, loaded: (d?.loaded ?? 0) + 1 })),
    edit: (text) => setDraft((d) => (d ? { ...d, text } : d)),
    close: () => setDraft(undefined),
  };
}
