import type { Context } from "../harness/context.ts";
import { type Figure, figure } from "../harness/report.ts";
import type { BareRun } from "./bare-run.ts";
import type { FanoutRun } from "./loa-run.ts";
import type { SigningCeiling } from "./signing-ceiling.ts";

/** Every live server of the fediverse case must have the article within this (ms). */
export const ARRIVAL_TARGET_MS = 3_000;
/** The worst case's target, as a share of the two-core signing ceiling. */
export const WORST_TARGET = 0.35;

const n = (v: number) => v.toLocaleString("en-US");

function bareFigures(ceiling: SigningCeiling, b: BareRun, i: number): Figure[] {
  const name = `bare fan-out (Node's fetch and crypto.sign, no queue) to ${n(b.expected)} servers (${i + 1})`;
  return [
    figure({
      section: "fanout",
      name: `${name}: deliveries/s`,
      unit: "/s",
      value: b.delivered === b.expected ? b.rate : null,
      baselineName: `signing ceiling (×${ceiling.cores})`,
      baseline: ceiling.signsPerSecond,
    }),
    figure({
      section: "fanout",
      name: `${name}: sender CPU per delivery`,
      unit: "ms",
      value: b.cpuS !== null && b.delivered > 0 ? (1000 * b.cpuS) / b.delivered : null,
      baselineName: "one signature",
      baseline: 1000 / ceiling.signsPerSecondPerCore,
    }),
  ];
}

function worstFigures(ceiling: SigningCeiling, r: FanoutRun, bare: BareRun | undefined): Figure[] {
  const name = `fan-out ${r.backend} ${n(r.followers)} followers on ${n(r.servers)} servers (${r.repeat})`;
  const cpuMs =
    r.serverCpuS !== null && r.delivered > 0 ? (1000 * r.serverCpuS) / r.delivered : null;
  return [
    figure({
      section: "fanout",
      name: `${name}: file → last delivery`,
      unit: "ms",
      value: r.totalMs,
    }),
    figure({ section: "fanout", name: `${name}: first delivery`, unit: "ms", value: r.firstMs }),
    figure({
      section: "fanout",
      name: `${name}: deliveries/s`,
      unit: "/s",
      value: r.rate,
      baselineName: `signing ceiling (×${ceiling.cores})`,
      baseline: ceiling.signsPerSecond,
      target: {
        text: `≥ ${WORST_TARGET}× ceiling`,
        test: (_, ratio) => ratio !== null && ratio >= WORST_TARGET,
      },
    }),
    ...(bare
      ? [
          figure({
            section: "fanout",
            name: `${name}: deliveries/s`,
            unit: "/s",
            value: r.rate,
            baselineName: "bare fan-out",
            baseline: bare.delivered === bare.expected ? bare.rate : null,
          }),
        ]
      : []),
    figure({
      section: "fanout",
      name: `${name}: server CPU per delivery`,
      unit: "ms",
      value: cpuMs,
      baselineName: "one signature",
      baseline: 1000 / ceiling.signsPerSecondPerCore,
    }),
    figure({
      section: "fanout",
      name: `${name}: signatures verified (sample)`,
      unit: "",
      value: r.receiver.verified,
      baselineName: "sampled",
      baseline: r.receiver.verified + r.receiver.rejected,
      target: { text: "all verify", test: (v) => r.receiver.rejected === 0 && v > 0 },
    }),
  ];
}

function fediverseFigures(
  ceiling: SigningCeiling,
  r: FanoutRun,
  control: FanoutRun | undefined,
): Figure[] {
  const name = `fan-out ${n(r.followers)} followers on ${n(r.servers)} servers, ${r.deadServers} dead (${r.repeat})`;
  const a = r.arrivals;
  const c = control?.arrivals;
  const vs = control ? `no dead servers` : undefined;
  return [
    figure({
      section: "fanout",
      name: `${name}: live servers reached`,
      unit: "",
      value: a.reached,
      baselineName: "live",
      baseline: a.of,
      target: { text: "all", test: (v) => v === a.of },
    }),
    figure({
      section: "fanout",
      name: `${name}: arrival p50`,
      unit: "ms",
      value: a.p50,
      ...(vs ? { baselineName: vs, baseline: c?.p50 ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: arrival p99`,
      unit: "ms",
      value: a.p99,
      ...(vs ? { baselineName: vs, baseline: c?.p99 ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: last live arrival`,
      unit: "ms",
      value: a.reached === a.of ? a.max : null,
      ...(vs ? { baselineName: vs, baseline: c?.max ?? null } : {}),
      target: { text: `≤ ${n(ARRIVAL_TARGET_MS)} ms`, test: (v) => v <= ARRIVAL_TARGET_MS },
    }),
    figure({
      section: "fanout",
      name: `${name}: ${a.of} signatures on ${ceiling.cores} cores`,
      unit: "ms",
      value: (1000 * a.of) / ceiling.signsPerSecond,
    }),
    figure({
      section: "fanout",
      name: `${name}: server CPU`,
      unit: "s",
      value: r.serverCpuS,
      ...(vs ? { baselineName: vs, baseline: control?.serverCpuS ?? null } : {}),
    }),
    figure({
      section: "fanout",
      name: `${name}: signatures verified (sample)`,
      unit: "",
      value: r.receiver.verified,
      baselineName: "sampled",
      baseline: r.receiver.verified + r.receiver.rejected,
      target: { text: "all verify", test: (v) => r.receiver.rejected === 0 && v > 0 },
    }),
  ];
}

/** Figures for the table (exported so a saved result can be re-tabled). */
export function addFanoutFigures(
  ctx: Context,
  ceiling: SigningCeiling,
  runs: readonly FanoutRun[],
  bare: readonly BareRun[] = [],
): void {
  ctx.figures.push(
    figure({
      section: "signing",
      name: "RSA-2048 signs/s (one core)",
      unit: "/s",
      value: ceiling.signsPerSecondPerCore,
    }),
  );
  for (const r of runs) {
    if (r.case === "worst") ctx.figures.push(...worstFigures(ceiling, r, bare[r.repeat - 1]));
    else if (r.case === "fediverse") {
      const control = runs.find((c) => c.case === "fediverse-control" && c.repeat === r.repeat);
      ctx.figures.push(...fediverseFigures(ceiling, r, control));
    }
  }
  bare.forEach((b, i) => {
    ctx.figures.push(...bareFigures(ceiling, b, i));
  });
}
