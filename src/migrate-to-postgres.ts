/**
 * `node src/migrate-to-postgres.ts <sqlite-file> <postgres-url>`: copies the
 * embedded store (followers, publication ledger, Fedify's key–value entries,
 * staff accounts, interactions, blocks, hub subscriptions) into PostgreSQL
 * before switching a site to `DATABASE_URL`. Safe to re-run.
 */
import { migrateSqliteToPostgres } from "./storage/migrate.ts";

const [sqliteFile, postgresUrl] = process.argv.slice(2);
if (!sqliteFile || !postgresUrl || !/^postgres(ql)?:\/\//.test(postgresUrl)) {
  console.error("Usage: node src/migrate-to-postgres.ts <sqlite-file> <postgres-url>");
  console.error("  e.g. node src/migrate-to-postgres.ts data/loa.sqlite postgres://loa@db/loa");
  process.exit(2);
}

try {
  const report = await migrateSqliteToPostgres(sqliteFile, postgresUrl);
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
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
