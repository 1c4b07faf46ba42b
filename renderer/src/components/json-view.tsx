import { useMemo } from 'react';
import type { JsonValue } from '../../../shared/ocpp/json';
import { jsonTokens } from '../logic/json-tokens';

export function JsonView({
  value,
  flagged,
  testId,
}: {
  value: JsonValue;
  flagged?: string[];
  testId?: string;
}) {
  const tokens = useMemo(() => jsonTokens(value, new Set(flagged ?? [])), [value, flagged]);
  return (
    <pre className="code mono" data-testid={testId}>
      {tokens.map((t, i) =>
        t.cls || t.flagged ? (
          <span
            key={i}
            className={`${t.cls ? `json-${t.cls}` : ''}${t.flagged ? ' json-flagged' : ''}`}
            title={t.flagged ? `finding at ${t.flagged}` : undefined}
          >
            {t.text}
          </span>
        ) : (
          t.text
        ),
      )}
    </pre>
  );
}
