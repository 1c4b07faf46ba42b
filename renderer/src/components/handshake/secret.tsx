import { useState } from 'react';
import { maskSecret } from '../../logic/handshake';

/** A password or key shown as dots until clicked. */
export function Secret({ value, testId }: { value: string; testId?: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span
      data-testid={testId}
      style={{ cursor: 'pointer' }}
      title={shown ? 'Click to hide' : 'Click to show'}
      onClick={() => setShown(!shown)}
    >
      {shown ? value : maskSecret(value)} <span className="muted">({shown ? 'hide' : 'show'})</span>
    </span>
  );
}
