import { isUtf8 } from 'node:buffer';
import type { Finding, FrameEvent, Sender } from '../../shared/capture/events';
import type { Analysis } from '../../shared/ocpp/pipeline';

/**
 * What every socket that receives frames does the same way (Connection and ProxyConnection): turn ws's message
 * data into bytes, name frames that are not UTF-8 text, and build frame events.
 */

export type UnstampedFrame = Omit<FrameEvent, 'seq' | 't' | 'mono'>;

/** Builds the frame event without spreading temporaries: this runs for every frame. */
export function frameEvent(conn: string, sender: Sender, text: string, a: Analysis): UnstampedFrame {
  const e: UnstampedFrame = { kind: 'frame', conn, sender, text, findings: a.findings };
  if (a.msg) e.msg = a.msg;
  if (a.problem) e.problem = a.problem;
  if (a.pair) e.pair = a.pair;
  return e;
}

export function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * The event of a frame OCPP-J cannot read as text (binary, or text that is not UTF-8), its bytes in base64; undefined
 * for a proper text frame.
 */
export function undecodableFrame(
  conn: string,
  sender: Sender,
  data: Buffer,
  isBinary: boolean,
): UnstampedFrame | undefined {
  if (!isBinary && isUtf8(data)) return undefined;
  const finding: Finding = isBinary
    ? {
        code: 'binary-frame',
        severity: 'error',
        message: 'A binary WebSocket frame: OCPP-J uses text frames only (the bytes are shown in base64).',
      }
    : {
        code: 'invalid-utf8',
        severity: 'error',
        message: 'A text frame that is not valid UTF-8 (the bytes are shown in base64).',
      };
  return { kind: 'frame', conn, sender, text: data.toString('base64'), binary: true, findings: [finding] };
}
