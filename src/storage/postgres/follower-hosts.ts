import type { Sql, TransactionSql } from "postgres";
import { hostOf } from "../interaction-rules.ts";

/**
 * Fills the host column of followers that have none: rows from before the
 * column existed, or written since by a process still running older code (a
 * rolling upgrade). Run by the schema step that adds the column, and before a
 * host-wide removal. Hosts are worked out as the code writes them, by URL
 * parsing that SQL cannot match (default ports, IDNs).
 */
export async function backfillFollowerHosts(sql: Sql | TransactionSql): Promise<void> {
  const rows = await sql<{ actor_id: string }[]>`
    SELECT actor_id FROM followers WHERE host IS NULL`;
  for (let start = 0; start < rows.length; start += 1000) {
    const ids = rows.slice(start, start + 1000).map((row) => row.actor_id);
    await sql`
      UPDATE followers AS f SET host = v.host
      FROM unnest(${sql.array(ids)}::text[], ${sql.array(ids.map(hostOf))}::text[])
           AS v(actor_id, host)
      WHERE f.actor_id = v.actor_id AND f.host IS NULL`;
  }
}
