/** One line of the results table: a figure beside its baseline from the same run. */
export interface Figure {
  section:
    | "feeds"
    | "archive"
    | "fanout"
    | "signing"
    | "conversation"
    | "websub"
    | "newsroom"
    | "memory";
  name: string;
  unit: string;
  value: number | null;
  baselineName: string | null;
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  /** e.g. "≥ 0.5× nginx"; null for a figure shown for context only. */
  target: string | null;
  met: boolean | null;
}

export interface FigureInput {
  section: Figure["section"];
  name: string;
  unit: string;
  value: number | null;
  baselineName?: string;
  baseline?: number | null;
  /**
   * When the ratio is not value ÷ baseline: the median of rounds' own ratios,
   * each of two servers measured back to back (`pairedRatio` in the feeds section).
   */
  ratio?: number | null;
  target?: { text: string; test: (value: number, ratio: number | null) => boolean };
}

export function figure(input: FigureInput): Figure {
  const baseline = input.baseline ?? null;
  const ratio =
    input.ratio !== undefined
      ? input.ratio
      : input.value !== null && baseline
        ? input.value / baseline
        : null;
  return {
    section: input.section,
    name: input.name,
    unit: input.unit,
    value: input.value,
    baselineName: input.baselineName ?? null,
    baseline,
    ratio,
    target: input.target?.text ?? null,
    met: input.target && input.value !== null ? input.target.test(input.value, ratio) : null,
  };
}

function num(n: number | null, unit = ""): string {
  if (n === null || !Number.isFinite(n)) return "—";
  const abs = Math.abs(n);
  const s =
    abs >= 100 ? Math.round(n).toLocaleString("en-US") : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

/** The table as Markdown (printed, and pasted into docs/performance.md). */
export function formatTable(figures: readonly Figure[]): string {
  const rows = [
    ["figure", "value", "baseline", "ratio", "target", "met?"],
    ...figures.map((f) => [
      f.name,
      num(f.value, f.unit),
      f.baselineName ? `${f.baselineName}: ${num(f.baseline, f.unit)}` : "—",
      f.ratio === null ? "—" : `${f.ratio.toFixed(2)}×`,
      f.target ?? "",
      f.met === null ? "" : f.met ? "yes" : "**no**",
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const sep = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), sep, ...body.map(line)].join("\n");
}
