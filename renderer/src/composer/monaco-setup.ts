// Monaco, bundled: only the editor core, its standard features and the JSON language. No CDN, no eval: workers are
// separate files that Vite emits next to the bundle (the CSP allows worker-src 'self' blob:).
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import type { MonacoSchema } from '../logic/schema-assembly';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

/** Monaco's JSON settings are global: each editor (composer, scenario editor) owns its own part of the schemas. */
const schemasByOwner = new Map<string, MonacoSchema[]>();

export function setSchemas(schemas: MonacoSchema[], owner = 'composer'): void {
  schemasByOwner.set(owner, schemas);
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    enableSchemaRequest: false,
    schemaValidation: 'error',
    schemas: [...schemasByOwner.values()].flat(),
  });
}

export function defineThemes(): void {
  monaco.editor.defineTheme('scope-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#14171c', 'editorGutter.background': '#14171c' },
  });
  monaco.editor.defineTheme('scope-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff' },
  });
}

export { monaco };
