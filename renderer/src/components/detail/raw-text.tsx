import { useState } from 'react';
import { highlight } from '../../logic/highlight';
import { useStore } from '../../state/hooks';

const RAW_LIMIT = 512 * 1024;

/** The exact text; a huge one is cut for display only (copy still takes all of it) until asked for in full. */
export function RawText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  // The filter's free text, marked where it occurs, so the reason a row matched is visible.
  const needle = useStore((s) => s.query.text);
  const cut = !all && text.length > RAW_LIMIT;
  const shown = cut ? text.slice(0, RAW_LIMIT) : text;
  return (
    <>
      <pre className="code mono" data-testid="detail-raw">
        {highlight(shown, needle).map((p, i) =>
          p.match ? (
            <mark key={i} className="search-hit">
              {p.text}
            </mark>
          ) : (
            p.text
          ),
        )}
      </pre>
      {cut && (
        <button type="button" className="btn small mt" onClick={() => setAll(true)}>
          Show all {text.length.toLocaleString('en-US')} characters
        </button>
      )}
    </>
  );
}
