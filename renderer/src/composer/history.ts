export interface SentEntry {
  t: number;
  connection: string;
  label: string;
  text: string;
  findings: number;
}

const KEY = 'ocpp-scope.sent-history';
const MAX = 100;

/** Sent frames, newest first, kept across reloads so yesterday's hand-made frames can be sent again. */
export function loadHistory(): SentEntry[] {
  try {
    const raw = localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? (list as SentEntry[]).slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function addToHistory(list: SentEntry[], entry: SentEntry): SentEntry[] {
  const next = [entry, ...list.filter((e) => e.text !== entry.text)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    /* storage full or unavailable: the in-memory list still works */
  }
  return next;
}
