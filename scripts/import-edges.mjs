#!/usr/bin/env node
// Lists the import edges between the folders of src/ (`from -> to  count`), so a
// review can see which part depends on which. Usage: node scripts/import-edges.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "src");
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) files.push(path);
  }
};
walk(root);
const folderOf = (file) => {
  const rel = relative(root, file);
  const first = rel.split("/")[0];
  // Top-level modules (config.ts, urls.ts, app.ts, …) each stand alone.
  return rel.includes("/") ? `${first}/` : rel;
};
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  for (const [, spec] of text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)) {
    const target = resolve(dirname(file), spec);
    const from = folderOf(file);
    const to = folderOf(target);
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}
for (const [key, n] of [...edges].sort()) console.log(`${key}  ${n}`);
