import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ScenarioProblem } from '../../../../shared/scenario/parse-scenario';
import { SCENARIO_SCHEMA, SCENARIO_SCHEMA_URI } from '../../../../shared/scenario/scenario-schema';
import { MonacoEditor, type EditorHandle, type EditorMarker } from '../../composer/monaco-editor';
import type { JsonSchema, MonacoSchema } from '../../logic/schema-assembly';
import { useStore } from '../../state/hooks';
import { download } from '../endpoint-panel';

/** The model the scenario schema is matched to (Monaco's JSON settings are shared with the composer). */
export const SCENARIO_MODEL_URI = 'ocpp-scope://checks/scenario.json';

const SCHEMAS: MonacoSchema[] = [
  {
    uri: SCENARIO_SCHEMA_URI,
    fileMatch: [SCENARIO_MODEL_URI],
    schema: SCENARIO_SCHEMA as unknown as JsonSchema,
  },
];

export interface ScenarioDraft {
  name: string;
  text: string;
  /** Changes when a new text is loaded (a file, a recording, a suite), not when the person types. */
  loaded: number;
}

/**
 * The scenario being edited: Monaco completes and validates it against the scenario JSON schema (markers listed
 * below it), and the parser's own problems (templates used before they are captured...) are listed too.
 */
export function ScenarioEditor(props: {
  draft: ScenarioDraft;
  problems: readonly ScenarioProblem[];
  onChange: (text: string) => void;
  onClose: () => void;
}) {
  const theme = useStore((s) => s.theme);
  const [markers, setMarkers] = useState<EditorMarker[]>([]);
  const handle = useRef<EditorHandle | undefined>(undefined);
  const text = useRef(props.draft.text);
  text.current = props.draft.text;

  // A newly loaded text replaces the editor's (the model outlives the editor, so a stale one is replaced too).
  const onHandle = useCallback((h: EditorHandle | undefined) => {
    handle.current = h;
    if (h && h.getValue() !== text.current) h.setValue(text.current);
  }, []);
  useEffect(() => {
    const h = handle.current;
    if (h && h.getValue() !== text.current) h.setValue(text.current);
  }, [props.draft.loaded]);

  const shown = useMemo(() => markers.slice(0, 8), [markers]);
  return (
    <div className="scenario-editor" data-testid="scenario-editor-panel">
      <div className="row" style={{ marginBottom: 6 }}>
        <b className="mono">{props.draft.name}</b>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          data-testid="scenario-save"
          onClick={() => download(props.draft.name, props.draft.text, 'application/json')}
        >
          Save file
        </button>
        <button type="button" className="btn" data-testid="scenario-close" onClick={props.onClose}>
          Close
        </button>
      </div>
      <div style={{ height: 320, display: 'flex', border: '1px solid var(--border)' }}>
        <MonacoEditor
          initial={props.draft.text}
          theme={theme}
          schemas={SCHEMAS}
          owner="scenario"
          uri={SCENARIO_MODEL_URI}
          testId="scenario-editor"
          label="Scenario editor"
          onSubmit={() => undefined}
          onMarkers={setMarkers}
          onChange={props.onChange}
          handle={onHandle}
        />
      </div>
      {(shown.length > 0 || props.problems.length > 0) && (
        <div className="failure" data-testid="check-file-problems">
          {shown.map((m) => (
            <div key={`${m.line}:${m.column}:${m.message}`} data-testid="scenario-marker">
              <span className="mono">
                line {m.line}:{m.column}
              </span>{' '}
              {m.message}
            </div>
          ))}
          {props.problems.slice(0, 6).map((p) => (
            <div key={`${p.path}${p.message}`} data-testid="scenario-problem">
              <span className="mono">{p.path}</span> {p.message}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
