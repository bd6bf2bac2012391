#!/usr/bin/env node
// Fails (exit 1) when src/ has an import cycle between files, or a folder imports one
// on its own floor or above it (the order of docs/architecture.md, "Who may import
// whom"). Type-only imports count: a circle of types is still a circle to read.
// Run by `npm run check`. Usage: node scripts/check-imports.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// Floors, bottom up: a part imports only parts on a lower floor. Keep in step with
// docs/architecture.md. Top-level command-line tools sit on the top floor with main.ts.
const FLOORS = [
  ["config.ts", "clock.ts", "urls.ts", "path-templates.ts", "bounded-map.ts", "text/", "net/"],
  ["logging.ts", "content/", "media/"],
  ["feeds/", "storage/"],
  ["pages/", "avatars/"],
  ["moderation/", "operations/", "publish/", "read-models/", "mail/"],
  ["federation/"],
  ["web/"],
  ["newsroom/", "websub/"],
  ["app.ts", "delivery/"],
  ["main.ts", "cli/"],
];
// Cycles known when this check was written, owned by another change in flight; each
// must go (the check fails once one is gone and still listed, so the list only shrinks).
const KNOWN_CYCLES = [];

const root = resolve(import.meta.dirname, "..", "src");
const floorOf = new Map(FLOORS.flatMap((parts, floor) => parts.map((part) => [part, floor])));
const partOf = (rel) => (rel.includes("/") ? `${rel.split("/")[0]}/` : rel);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) files.push(relative(root, path));
  }
};
walk(root);

const problems = [];
const graph = new Map();
for (const file of files) {
  const targets = new Set();
  const text = readFileSync(join(root, file), "utf8");
  for (const [, spec] of text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)) {
    const target = relative(root, resolve(root, dirname(file), spec));
    if (target.startsWith("..")) continue; // package.json and the like
    targets.add(target);
    const from = partOf(file);
    const to = partOf(target);
    if (from === to) continue;
    for (const part of [from, to]) {
      if (!floorOf.has(part))
        problems.push(`${part} has no floor: add it to FLOORS here and to docs/architecture.md`);
    }
    if (floorOf.get(from) <= floorOf.get(to))
      problems.push(`${file} imports ${target}: ${to} is not below ${from}`);
  }
  graph.set(file, targets);
}

// Tarjan's strongly connected components: every component of more than one file (or a
// file importing itself) is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let counter = 0;
const visit = (file) => {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const next of graph.get(file) ?? []) {
    if (!graph.has(next)) continue;
    if (!index.has(next)) {
      visit(next);
      low.set(file, Math.min(low.get(file), low.get(next)));
    } else if (onStack.has(next)) low.set(file, Math.min(low.get(file), index.get(next)));
  }
  if (low.get(file) !== index.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== file);
  if (component.length > 1 || graph.get(file).has(file)) cycles.push(component.sort());
};
for (const file of files) if (!index.has(file)) visit(file);

const key = (files) => [...files].sort().join(" ↔ ");
const known = new Set(KNOWN_CYCLES.map(key));
for (const cycle of cycles) {
  if (known.delete(key(cycle))) console.log(`known cycle, still to go: ${key(cycle)}`);
  else problems.push(`import cycle: ${key(cycle)}`);
}
for (const gone of known) problems.push(`cycle gone, remove it from KNOWN_CYCLES: ${gone}`);

for (const problem of new Set(problems)) console.error(problem);
if (problems.length > 0) process.exit(1);
