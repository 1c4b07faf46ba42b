import { useEffect, useState } from 'react';
import { checkAccept, type AcceptVerdict } from '../../logic/handshake';
import type { HandshakeRecord } from '../../types';

/** Whether the server's Sec-WebSocket-Accept is the one RFC 6455 requires for the client's key. */
export function AcceptCheck({ hs }: { hs: HandshakeRecord }) {
  const [v, setV] = useState<AcceptVerdict>();
  useEffect(() => {
    let live = true;
    void checkAccept(hs.request, hs.response).then((r) => live && setV(r));
    return () => {
      live = false;
    };
  }, [hs]);
  if (!v) return null;
  return (
    <dl className="kv" data-testid="accept-check" data-state={v.state}>
      <dt>Sec-WebSocket-Accept</dt>
      <dd>
        {v.state === 'ok' ? (
          <span className="verdict ok" data-testid="accept-ok">
            ✓ correct
          </span>
        ) : v.state === 'mismatch' ? (
          <span className="verdict bad" data-testid="accept-bad">
            ✗ wrong: a browser or strict client would drop this connection
          </span>
        ) : (
          <span className="verdict bad" data-testid="accept-missing">
            ✗ {v.expected ? 'missing in the response' : 'no Sec-WebSocket-Key in the request'}
          </span>
        )}
      </dd>
      {v.expected && (
        <>
          <dt>Expected</dt>
          <dd className="mono">{v.expected}</dd>
        </>
      )}
      {v.actual !== undefined && (
        <>
          <dt>Received</dt>
          <dd className="mono">{v.actual}</dd>
        </>
      )}
    </dl>
  );
}
