/**
 * Types for `parse-prometheus-text-format` 1.1 (it ships none): the parsed
 * shape follows prom2json, every number kept as the text it was written as.
 */
declare module "parse-prometheus-text-format" {
  /** One sample (or, for histograms and summaries, one labelled series). */
  export interface PrometheusSample {
    value?: string;
    labels?: Record<string, string>;
    /** Histograms: cumulative count by upper bound (`"0.5"`, `"+Inf"`). */
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }

  /** One metric family: its `# HELP`, `# TYPE` and samples. */
  export interface PrometheusFamily {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    metrics: PrometheusSample[];
  }

  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
