import type { DatabaseSync } from "node:sqlite";
import { blockValue } from "../interaction-rules.ts";

/**
 * Schema step on SQLite for interactions that hold: one like and one boost
 * per actor and article (duplicates from before are dropped, the first kept,
 * and a unique index keeps it so), and domain blocks stored as the domain
 * they cover (a port given before is dropped: a block covers every port).
 */
export function interactionsThatHold(db: DatabaseSync): void {
  db.exec(`
    DELETE FROM interactions
      WHERE kind IN ('like', 'announce')
        AND rowid NOT IN (
          SELECT min(rowid) FROM interactions
            WHERE kind IN ('like', 'announce') GROUP BY actor_id, kind, slug);
    CREATE UNIQUE INDEX IF NOT EXISTS interactions_one_reaction
      ON interactions (actor_id, kind, slug) WHERE kind IN ('like', 'announce');
  `);
  const rows = db.prepare("SELECT value FROM blocks WHERE kind = 'domain'").all() as {
    value: string;
  }[];
  const rename = db.prepare(
    `UPDATE OR IGNORE blocks SET value = ? WHERE kind = 'domain' AND value = ?`,
  );
  const drop = db.prepare("DELETE FROM blocks WHERE kind = 'domain' AND value = ?");
  for (const { value } of rows) {
    const domain = blockValue("domain", value);
    if (domain === value) continue;
    // A block of the same domain without the port may exist already: keep that one.
    rename.run(domain, value);
    drop.run(value);
  }
}
