/**
 * `npm run migrate-to-postgres -- <sqlite-file> <postgres-url>`: copies the
 * embedded store (followers, publication ledger, Fedify's key–value entries,
 * staff accounts, interactions, blocks, hub subscriptions, the audit trail)
 * into PostgreSQL before switching a site to `DATABASE_URL`. Safe to re-run.
 */
import { migrateSqliteToPostgres } from "../storage/migrate.ts";
import { CliError, parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const TOOL: Tool = {
  name: "migrate-to-postgres",
  usage: `Usage: npm run migrate-to-postgres -- <sqlite-file> <postgres-url>
  e.g. npm run migrate-to-postgres -- data/loa.sqlite postgres://loa@db/loa`,
};

async function main(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommand(argv, {});
  const [sqliteFile, postgresUrl, ...extra] = positionals;
  if (!sqliteFile || !postgresUrl || extra.length > 0) throw new UsageError("two arguments needed");
  if (!/^postgres(ql)?:\/\//.test(postgresUrl)) {
    throw new UsageError("the second argument must be a postgres:// or postgresql:// URL");
  }
  let report: Awaited<ReturnType<typeof migrateSqliteToPostgres>>;
  try {
    report = await migrateSqliteToPostgres(sqliteFile, postgresUrl);
  } catch (error) {
    throw new CliError(
      `Migration failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  console.log(
    `Copied ${report.followers} followers, ${report.ledgerEntries} ledger entries, ` +
      `${report.kvEntries} key-value entries, ${report.staff} staff accounts, ` +
      `${report.interactions} interactions, ${report.blocks} blocks, ` +
      `${report.hubSubscriptions} hub subscriptions and ${report.auditRecords} audit records into PostgreSQL.`,
  );
  console.log("Staff sessions and delivery progress are not copied: staff log in again.");
  if (report.pendingMessages > 0) {
    console.warn(
      `Warning: ${report.pendingMessages} deliveries are still queued in ${sqliteFile} and were ` +
        "not copied. Start the old server until its queue drains, then run this again.",
    );
  }
  return 0;
}

await runTool(TOOL, () => main(process.argv.slice(2)));
