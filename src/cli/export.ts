/**
 * `npm run export -- <dir>`: every published article (newsroom and files) as
 * a `content/` directory with its pictures: a backup any tool reads, and the
 * way back to files.
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { exportArticles } from "../newsroom/articles/export.ts";
import { openStorage } from "../storage/open.ts";

const HELP = `Usage: npm run export -- <dir>

Writes every published article, from the newsroom and from CONTENT_DIR, into
<dir> in the content/ format (site.yml, articles/*.md, their pictures).
Pointing CONTENT_DIR at <dir> serves the same articles.

Options:
  -h, --help   show this help`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [outDir, ...rest] = positionals;
  if (outDir === undefined || rest.length > 0) {
    console.error(HELP);
    return 2;
  }
  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    const result = await exportArticles({
      contentDir: config.contentDir,
      store: storage.store,
      outDir,
    });
    console.log(
      `Exported ${result.files} file articles and ${result.newsroom} newsroom articles with ${result.pictures} pictures to ${outDir}`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`export failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
