/** Splits text into plain and matching parts (case-insensitive), for marking a search term in the detail pane. */
export interface Segment {
  text: string;
  match: boolean;
}

export function highlight(text: string, needle: string | undefined, maxMatches = 500): Segment[] {
  if (!needle) return [{ text, match: false }];
  const hay = text.toLowerCase();
  const n = needle.toLowerCase();
  const out: Segment[] = [];
  let from = 0;
  for (let count = 0; count < maxMatches; count++) {
    const at = hay.indexOf(n, from);
    if (at < 0) break;
    if (at > from) out.push({ text: text.slice(from, at), match: false });
    out.push({ text: text.slice(at, at + n.length), match: true });
    from = at + n.length;
  }
  if (from < text.length) out.push({ text: text.slice(from), match: false });
  return out;
}
