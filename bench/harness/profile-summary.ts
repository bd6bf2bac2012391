/**
 * Prints where a `.cpuprofile` (from `node --cpu-prof`) spent its time: the top
 * functions by self time, and by inclusive time for the project's own code.
 * `node bench/harness/profile-summary.ts <file.cpuprofile> [top] [from to]`: `from` and
 * `to` (microseconds of the monotonic clock, `process.hrtime.bigint() / 1000n`, which
 * the profile's timestamps share on Linux) keep only the samples of that window, e.g.
 * one load cell without the server's start-up.
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
const from = fromArg === undefined ? -Infinity : Number(fromArg);
const to = toArg === undefined ? Infinity : Number(toArg);
const self = new Map<number, number>();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + delta);
});
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, "$1/");
  return `${n.callFrame.functionName || "(anonymous)"} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ""}`.trim();
};
// Inclusive time: a node's self time plus its subtree's.
const inclusive = new Map<number, number>();
const visit = (id: number): number => {
  const n = byId.get(id);
  let t = self.get(id) ?? 0;
  for (const c of n?.children ?? []) t += visit(c);
  inclusive.set(id, t);
  return t;
};
const root = profile.nodes[0];
const total = root ? visit(root.id) : 1;
const sum = (m: Map<number, number>, filter: (n: ProfileNode) => boolean) => {
  const agg = new Map<string, number>();
  for (const [id, t] of m) {
    const n = byId.get(id);
    if (n && filter(n)) agg.set(label(n), (agg.get(label(n)) ?? 0) + t);
  }
  return [...agg].sort((a, b) => b[1] - a[1]).slice(0, top);
};
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1e6).toFixed(2)} s sampled\n\nself time:`);
for (const [name, t] of sum(self, () => true)) console.log(`${pct(t)}  ${name}`);
console.log("\ninclusive time, project code (src/):");
// Recursion would count a frame twice; fine for a rough picture of where time goes.
for (const [name, t] of sum(inclusive, (n) => n.callFrame.url.includes("/src/"))) {
  console.log(`${pct(t)}  ${name}`);
}
