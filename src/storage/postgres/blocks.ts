import type { Sql } from "postgres";
import { type BlockPart, blockValue, hostsCovered } from "../interaction-rules.ts";
import { type BlockKind, coveringDomains } from "../interactions.ts";
import { changeAudited, insertAuditRow } from "./audit.ts";
import { backfillFollowerHosts } from "./follower-hosts.ts";

interface BlockRow {
  kind: string;
  value: string;
  created_at: Date;
  by_user: string | null;
}

/** The town's blocks of actors and domains on PostgreSQL, and the follower removal a domain block needs. */
export function postgresBlocks(sql: Sql): BlockPart {
  return {
    async addBlock(block, audit) {
      return await sql.begin(async (tx) => {
        const result = await tx`
          INSERT INTO blocks (kind, value, created_at, by_user)
          VALUES (${block.kind}, ${blockValue(block.kind, block.value)}, ${block.createdAt},
                  ${block.by})
          ON CONFLICT (kind, value) DO NOTHING`;
        if (audit) await insertAuditRow(tx, audit);
        return result.count > 0;
      });
    },

    removeBlock: (kind, value, audit) =>
      changeAudited(
        sql,
        (tx) => tx`DELETE FROM blocks WHERE kind = ${kind} AND value = ${blockValue(kind, value)}`,
        audit,
      ),

    async listBlocks() {
      const rows = await sql<BlockRow[]>`SELECT * FROM blocks ORDER BY created_at, kind, value`;
      return rows.map((row) => ({
        kind: row.kind as BlockKind,
        value: row.value,
        createdAt: row.created_at,
        by: row.by_user,
      }));
    },

    async isBlocked(actorId) {
      const rows = await sql`
        SELECT 1 FROM blocks
        WHERE (kind = 'actor' AND value = ${actorId})
           OR (kind = 'domain' AND value = ANY(${sql.array(coveringDomains(actorId))}::text[]))
        LIMIT 1`;
      return rows.length > 0;
    },

    async removeFollowersFromHost(host) {
      await backfillFollowerHosts(sql);
      const hosts = await sql<{ host: string }[]>`
        SELECT DISTINCT host FROM followers WHERE host IS NOT NULL`;
      const covered = hostsCovered(
        host,
        hosts.map((h) => h.host),
      );
      const result =
        await sql`DELETE FROM followers WHERE host = ANY(${sql.array(covered)}::text[])`;
      return result.count;
    },
  };
}
