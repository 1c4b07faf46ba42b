import type { HttpHead } from '../../types';
import { Secret } from './secret';

/** An HTTP start line and its headers exactly as they crossed the wire; Authorization masked until clicked. */
export function HeadTable({
  head,
  title,
  testId,
}: {
  head: HttpHead | undefined;
  title: string;
  testId: string;
}) {
  return (
    <div className="hs-head" data-testid={testId}>
      <div className="start mono">
        <span className="muted" style={{ fontWeight: 400 }}>
          {title}:{' '}
        </span>
        {head?.startLine ?? '(nothing received)'}
      </div>
      {head && (
        <table className="mono">
          <tbody>
            {head.headers.map(([k, v], i) => (
              <tr key={i}>
                <td>{k}</td>
                <td>{k.toLowerCase() === 'authorization' ? <Secret value={v} /> : v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
