/** Extra request headers for the upgrade (a CSMS that wants an API key or a tenant header), as name/value rows. */
export function HeadersEditor({
  value,
  onChange,
}: {
  value: [string, string][];
  onChange: (v: [string, string][]) => void;
}) {
  const set = (i: number, k: 0 | 1, text: string) =>
    onChange(
      value.map((h, j) => (j === i ? ((k === 0 ? [text, h[1]] : [h[0], text]) as [string, string]) : h)),
    );
  return (
    <div className="field" data-testid="station-headers">
      <span>Extra request headers</span>
      {value.map(([name, v], i) => (
        <div className="field-row" key={i} style={{ marginBottom: 4 }}>
          <input
            className="input mono"
            data-testid="station-header-name"
            placeholder="Name"
            value={name}
            onChange={(e) => set(i, 0, e.target.value)}
          />
          <input
            className="input grow mono"
            data-testid="station-header-value"
            placeholder="value"
            value={v}
            onChange={(e) => set(i, 1, e.target.value)}
          />
          <button
            type="button"
            className="btn small ghost"
            title="Remove this header"
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        data-testid="station-header-add"
        onClick={() => onChange([...value, ['', '']])}
      >
        Add header
      </button>
    </div>
  );
}
