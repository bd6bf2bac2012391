/**
 * `npm run check-content [-- <dir>]`: validates a content dir (default
 * ./content) the way the server loads it, prints each problem as
 * `file: field: reason`, and exits 1 if there is any (or if site.yml is
 * unusable), 0 when clean.
 */
import { loadContent } from "../content/load.ts";
import { CliError, parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const TOOL: Tool = {
  name: "check-content",
  usage: `Usage: npm run check-content [-- <dir>]
  <dir>  the content folder to check (default ./content)`,
};

async function main(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommand(argv, {});
  if (positionals.length > 1) throw new UsageError("one folder at most");
  const dir = positionals[0] ?? "./content";
  let snapshot: Awaited<ReturnType<typeof loadContent>>;
  try {
    snapshot = await loadContent(dir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    throw new CliError("content check failed: the site cannot run without a valid site.yml");
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

await runTool(TOOL, () => main(process.argv.slice(2)));
