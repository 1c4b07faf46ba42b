import { useEffect, useRef, useState } from 'react';
import type { MonacoSchema } from '../logic/schema-assembly';

import type * as MonacoSetup from './monaco-setup';

type MonacoModule = typeof MonacoSetup;

export interface EditorMarker {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
}

export interface EditorHandle {
  getValue(): string;
  setValue(text: string): void;
  focus(): void;
}

let monacoPromise: Promise<MonacoModule> | undefined;
export function loadMonaco(): Promise<MonacoModule> {
  monacoPromise ??= import('./monaco-setup').then((m) => {
    m.defineThemes();
    return m;
  });
  return monacoPromise;
}

export const COMPOSER_MODEL_URI = 'ocpp://composer/frame.json';

/**
 * Monaco for one JSON document: by default the frame being composed. The model URI is fixed so the schema's
 * fileMatch finds it; schemas are swapped when the target connection's version (or the call being answered)
 * changes. Another document (the scenario editor) gives its own `uri`, `owner` of its schemas, `testId`, `label`.
 */
export function MonacoEditor(props: {
  initial: string;
  theme: 'dark' | 'light';
  schemas: MonacoSchema[] | undefined;
  onSubmit: () => void;
  onMarkers: (markers: EditorMarker[]) => void;
  onChange?: (text: string) => void;
  handle: (h: EditorHandle | undefined) => void;
  uri?: string;
  owner?: string;
  testId?: string;
  label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [mod, setMod] = useState<MonacoModule>();
  const [error, setError] = useState<string>();
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    loadMonaco().then(setMod, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);

  useEffect(() => {
    if (!mod || !host.current) return;
    const { monaco } = mod;
    const uri = monaco.Uri.parse(latest.current.uri ?? COMPOSER_MODEL_URI);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(latest.current.initial, 'json', uri);
    const editor = monaco.editor.create(host.current, {
      model,
      theme: latest.current.theme === 'dark' ? 'scope-dark' : 'scope-light',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      quickSuggestions: { strings: true, other: true, comments: false },
      suggestOnTriggerCharacters: true,
      wordBasedSuggestions: 'off',
      padding: { top: 8 },
      ariaLabel: latest.current.label ?? 'OCPP frame editor',
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onSubmit());
    const report = (): void => {
      const markers = monaco.editor.getModelMarkers({ resource: uri }).map((m) => ({
        severity:
          m.severity === monaco.MarkerSeverity.Error
            ? ('error' as const)
            : m.severity === monaco.MarkerSeverity.Warning
              ? ('warning' as const)
              : ('info' as const),
        message: m.message,
        line: m.startLineNumber,
        column: m.startColumn,
      }));
      latest.current.onMarkers(markers);
    };
    const markerSub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === uri.toString())) report();
    });
    const changeSub = model.onDidChangeContent(() => latest.current.onChange?.(model.getValue()));
    latest.current.handle({
      getValue: () => model.getValue(),
      setValue: (text) => {
        // pushEditOperations keeps undo history, so replacing a template can be undone.
        editor.pushUndoStop();
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
        editor.pushUndoStop();
        editor.setPosition({ lineNumber: 1, column: 1 });
      },
      focus: () => editor.focus(),
    });
    return () => {
      latest.current.handle(undefined);
      markerSub.dispose();
      changeSub.dispose();
      editor.dispose();
    };
  }, [mod]);

  useEffect(() => {
    mod?.monaco.editor.setTheme(props.theme === 'dark' ? 'scope-dark' : 'scope-light');
  }, [mod, props.theme]);

  useEffect(() => {
    if (mod && props.schemas) mod.setSchemas(props.schemas, props.owner);
  }, [mod, props.schemas, props.owner]);

  return (
    <div
      className="editor-host"
      data-testid={props.testId ?? 'composer-editor'}
      data-ready={mod ? 'true' : 'false'}
    >
      <div ref={host} style={{ position: 'absolute', inset: 0 }} />
      {!mod && !error && (
        <div className="muted" style={{ padding: 12 }}>
          Loading the editor…
        </div>
      )}
      {error && (
        <div className="error-text" style={{ padding: 12 }}>
          The editor could not load: {error}
        </div>
      )}
    </div>
  );
}
