/**
 * A CPU profile of each page or feed cell under load, one server per cell, so
 * each profile holds one kind of request: `node bench/serving/profile-cells.ts
 * [--duration S] [--articles N] [--out DIR] path[:304]...` (`article`, `tag`,
 * `tagpage` and `archive` stand for the bench's placeholders; `:304` sends the
 * ETag back). Prints the top functions of each (see profile-summary.ts) and
 * leaves the `.cpuprofile` files in DIR for Chrome DevTools.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { generateContent, TAG_FEED_PATH, TAG_PAGE_PATH } from "../harness/articles.ts";
import { ROOT, startLoa } from "../harness/server.ts";
import { load } from "../harness/wrk.ts";
import { probe } from "./cells.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: "string", default: "5" },
    articles: { type: "string", default: "100" },
    connections: { type: "string", default: "50" },
    out: { type: "string" },
  },
});
const dir = await mkdtemp(join(tmpdir(), "loa-profile-"));
const out = values.out ?? join(dir, "profiles");
await mkdir(out, { recursive: true });
const articles = Number(values.articles);
const content = await generateContent(join(dir, "content"), articles);
const named: Record<string, string> = {
  article: `/articles/${content.slugs[0]}`,
  archive: content.archiveOf(Math.floor(articles / 2)),
  tag: TAG_FEED_PATH,
  tagpage: TAG_PAGE_PATH,
};
const keysDir = join(dir, "keys");
await mkdir(keysDir, { recursive: true });

for (const [i, spec] of (positionals.length ? positionals : ["/rss.xml", "/:304"]).entries()) {
  const [name = "/", mode = "200"] = spec.split(":");
  const path = named[name] ?? name;
  const cellDir = join(dir, `cell-${i}`);
  let window: string[] = [];
  await mkdir(cellDir, { recursive: true });
  const loa = await startLoa({
    contentDir: content.dir,
    keysDir,
    dataDir: join(cellDir, "data"),
    workDir: cellDir,
    label: "profile",
    nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${cellDir}`],
  });
  try {
    await loa.steady();
    const headers: Record<string, string> = {};
    if (mode === "304") {
      const first = await probe(loa.origin, path);
      if (first.etag) headers["If-None-Match"] = first.etag;
    }
    const url = new URL(path, loa.origin).href;
    const loadOptions = { url, connections: Number(values.connections), threads: 1, headers };
    await load({ ...loadOptions, durationS: 1, workDir: cellDir });
    const from = process.hrtime.bigint() / 1000n;
    const result = await load({
      ...loadOptions,
      durationS: Number(values.duration),
      workDir: cellDir,
    });
    window = [String(from), String(process.hrtime.bigint() / 1000n)];
    console.log(`\n== ${path} ${mode}: ${Math.round(result.rps)} req/s`);
  } finally {
    await loa.stop();
  }
  const file = (await readdir(cellDir)).find((f) => f.endsWith(".cpuprofile"));
  if (!file) continue;
  const target = join(out, `${i}-${name.replace(/\W+/g, "_")}-${mode}.cpuprofile`);
  await rename(join(cellDir, file), target);
  const summary = await promisify(execFile)(process.execPath, [
    join(ROOT, "bench", "harness", "profile-summary.ts"),
    target,
    "18",
    ...window,
  ]);
  console.log(summary.stdout);
}
console.log(`profiles: ${out}`);
