const BEGIN = '-----BEGIN ';
const LABEL = /^[A-Z0-9 ]+$/;

export interface PemBlock {
  label: string;
  /** What lies between the BEGIN and END lines (base64 and line breaks). */
  body: string;
  /** The whole block, BEGIN and END lines included. */
  text: string;
}

/**
 * The PEM blocks of `text`, in one pass: each BEGIN line's END is looked for once, from where the block starts (a
 * backtracking pattern went over the rest of the file for every BEGIN without its END: a damaged 1 MB bundle took
 * 14 s). Stops at the first block without its END.
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  let at = text.indexOf(BEGIN);
  while (at >= 0) {
    const labelEnd = text.indexOf('-----', at + BEGIN.length);
    if (labelEnd < 0) break;
    const label = text.slice(at + BEGIN.length, labelEnd);
    if (!LABEL.test(label)) {
      at = text.indexOf(BEGIN, at + BEGIN.length);
      continue;
    }
    const end = `-----END ${label}-----`;
    const endAt = text.indexOf(end, labelEnd + 5);
    if (endAt < 0) break;
    out.push({ label, body: text.slice(labelEnd + 5, endAt), text: text.slice(at, endAt + end.length) });
    at = text.indexOf(BEGIN, endAt + end.length);
  }
  return out;
}

/** The CERTIFICATE blocks of a PEM text, whole, in order. */
export function certificateBlocks(pem: string): string[] {
  return pemBlocks(pem)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.text);
}
