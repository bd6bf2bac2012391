/**
 * `npm run check-content [dir]`: validates a content dir (default ./content)
 * the way the server loads it, prints each problem as `file: field: reason`,
 * and exits 1 if there is any (or if site.yml is unusable), 0 when clean.
 */
import { loadContent } from "./content/load.ts";

async function main(): Promise<number> {
  const dir = process.argv[2] ?? "./content";
  let snapshot: Awaited<ReturnType<typeof loadContent>>;
  try {
    snapshot = await loadContent(dir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error("content check failed: the site cannot run without a valid site.yml");
    return 1;
  }
  for (const p of snapshot.problems) {
    console.log(
      p.field === undefined ? `${p.file}: ${p.reason}` : `${p.file}: ${p.field}: ${p.reason}`,
    );
  }
  const { articles, problems, brokenFiles, drafts } = snapshot;
  const now = Date.now();
  const scheduled = articles.filter((a) => a.published.getTime() > now).length;
  const summary =
    `${articles.length} article(s) valid` +
    (scheduled > 0 ? ` (${scheduled} scheduled for later)` : "") +
    (drafts.length > 0 ? `, ${drafts.length} draft(s) not published` : "") +
    `, ${problems.length} problem(s) in ${brokenFiles.length} file(s)`;
  console.log(summary);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main();
