import type { DatabaseSync } from "node:sqlite";
import { type BlockPart, blockValue, hostsCovered } from "../interaction-rules.ts";
import { type Block, type BlockKind, coveringDomains } from "../interactions.ts";
import { changeAudited, insertAuditRow } from "./audit.ts";
import { backfillFollowerHosts } from "./follower-hosts.ts";
import { prepared, transaction } from "./open.ts";

interface BlockRow {
  kind: string;
  value: string;
  created_at: number;
  by_user: string | null;
}

/** The town's blocks of actors and domains on SQLite, and the follower removal a domain block needs. */
export function sqliteBlocks(db: DatabaseSync): BlockPart {
  return {
    async addBlock(block, audit) {
      return transaction(db, () => {
        const result = prepared(
          db,
          `INSERT INTO blocks (kind, value, created_at, by_user) VALUES (?, ?, ?, ?)
             ON CONFLICT (kind, value) DO NOTHING`,
        ).run(block.kind, blockValue(block.kind, block.value), block.createdAt.getTime(), block.by);
        if (audit) insertAuditRow(db, audit);
        return Number(result.changes) > 0;
      });
    },

    async removeBlock(kind, value, audit) {
      return changeAudited(
        db,
        () =>
          prepared(db, "DELETE FROM blocks WHERE kind = ? AND value = ?").run(
            kind,
            blockValue(kind, value),
          ),
        audit,
      );
    },

    async listBlocks() {
      const rows = prepared(db, "SELECT * FROM blocks ORDER BY created_at, kind, value").all();
      return (rows as unknown as BlockRow[]).map(toBlock);
    },

    async isBlocked(actorId) {
      const row = prepared(
        db,
        `SELECT 1 FROM blocks
           WHERE (kind = 'actor' AND value = ?)
              OR (kind = 'domain' AND value IN (SELECT value FROM json_each(?))) LIMIT 1`,
      ).get(actorId, JSON.stringify(coveringDomains(actorId)));
      return row !== undefined;
    },

    async removeFollowersFromHost(host) {
      backfillFollowerHosts(db);
      const hosts = prepared(db, "SELECT DISTINCT host FROM followers WHERE host IS NOT NULL")
        .all()
        .map((row) => String((row as { host: string }).host));
      const result = prepared(
        db,
        "DELETE FROM followers WHERE host IN (SELECT value FROM json_each(?))",
      ).run(JSON.stringify(hostsCovered(host, hosts)));
      return Number(result.changes);
    },
  };
}

function toBlock(row: BlockRow): Block {
  return {
    kind: row.kind as BlockKind,
    value: row.value,
    createdAt: new Date(Number(row.created_at)),
    by: row.by_user,
  };
}
