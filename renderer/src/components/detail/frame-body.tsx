import { useEffect, useState } from 'react';
import { peerSent } from '../../logic/tool-side';
import { useStore, useStoreInstance } from '../../state/hooks';
import type { FrameEvent, ScopeEvent } from '../../types';
import { CopyButton } from '../common';
import { FindingList } from './finding-list';
import { FrameActions } from './frame-actions';
import { FrameFacts } from './frame-facts';
import { FramePayload } from './frame-payload';
import { PartnerCard } from './partner-card';
import { RawText } from './raw-text';

/** The partner of a frame: known in the model, or (a capture) looked up by its message id. */
function usePartner(e: FrameEvent): ScopeEvent | undefined {
  const store = useStoreInstance();
  const version = useStore((s) => s.logVersion);
  const model = store.model();
  const [partner, setPartner] = useState<ScopeEvent | undefined>(() => model?.partnerOf(e));
  useEffect(() => {
    const known = model?.partnerOf(e);
    setPartner(known);
    if (!known && model && 'findPartner' in model) void model.findPartner(e).then(setPartner);
  }, [e, model, version]);
  return partner;
}

/** A frame in full: facts, actions, why it is invalid, findings, its partner, payload and the exact text. */
export function FrameBody({ e }: { e: FrameEvent }) {
  const store = useStoreInstance();
  // The connection of the source shown (a capture's c1 is its own, not the live c1): re-read on every change.
  const conn = useStore(() => store.connectionOf(e.conn, true));
  const partner = usePartner(e);
  const fromThem = peerSent(conn, e.sender);
  return (
    <>
      <FrameFacts e={e} conn={conn} fromThem={fromThem} />
      <FrameActions e={e} conn={conn} fromThem={fromThem} />
      {e.problem && (
        <>
          <div className="block-title">Why this is not a valid frame</div>
          <div className="finding error" data-testid="frame-problem">
            <div>
              <div>{e.problem.message}</div>
              <div className="muted">
                <code>{e.problem.code}</code> · a strict peer answers <code>{e.problem.errorCode}</code>
                {e.problem.position !== undefined && <> · at character {e.problem.position}</>}
              </div>
            </div>
          </div>
        </>
      )}
      {e.findings.length > 0 && (
        <>
          <div className="block-title">
            Findings <span className="badge warn">{e.findings.length}</span>
          </div>
          <FindingList findings={e.findings} testId="detail-findings" />
        </>
      )}
      {e.msg && <PartnerCard partner={partner} self={e} conn={conn} />}
      <FramePayload e={e} />
      <div className="block-title">
        Raw text, exactly as sent{e.binary ? ' (binary, base64)' : ''}
        <span className="spacer" />
        <CopyButton text={e.text} testId="copy-raw" />
      </div>
      <RawText text={e.text} />
    </>
  );
}
