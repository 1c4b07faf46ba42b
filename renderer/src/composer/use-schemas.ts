import { useEffect, useState } from 'react';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { MonacoSchema } from '../logic/schema-assembly';
import { COMPOSER_MODEL_URI } from './monaco-editor';
import { composerSchemas, loadOcppData } from './schema-catalog';

/** The editor's schemas for a version (and the action being answered), loaded once the OCPP data has arrived. */
export function useSchemas(
  version: OcppVersion,
  responseAction: string | undefined,
): MonacoSchema[] | undefined {
  const [schemas, setSchemas] = useState<MonacoSchema[]>();
  useEffect(() => {
    let live = true;
    void loadOcppData().then((d) => {
      if (live) setSchemas(composerSchemas(d, version, COMPOSER_MODEL_URI, responseAction));
    });
    return () => {
      live = false;
    };
  }, [version, responseAction]);
  return schemas;
}
