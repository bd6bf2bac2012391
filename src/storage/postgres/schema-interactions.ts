import type { TransactionSql } from "postgres";
import { blockValue } from "../interaction-rules.ts";

/**
 * Schema step on PostgreSQL for interactions that hold: one like and one
 * boost per actor and article (duplicates from before are dropped, the
 * first received kept, and a unique index keeps it so; it also settles two
 * first deliveries racing from different processes), and domain blocks
 * stored as the domain they cover (a port given before is dropped: a block
 * covers every port).
 */
export async function interactionsThatHold(tx: TransactionSql): Promise<void> {
  await tx.unsafe(`
    DELETE FROM interactions a USING interactions b
      WHERE a.kind IN ('like', 'announce') AND a.kind = b.kind
        AND a.actor_id = b.actor_id AND a.slug IS NOT DISTINCT FROM b.slug
        AND (a.received_at, a.id) > (b.received_at, b.id);
    CREATE UNIQUE INDEX IF NOT EXISTS interactions_one_reaction
      ON interactions (actor_id, kind, slug) WHERE kind IN ('like', 'announce');
  `);
  const rows = await tx<{ value: string }[]>`SELECT value FROM blocks WHERE kind = 'domain'`;
  for (const { value } of rows) {
    const domain = blockValue("domain", value);
    if (domain === value) continue;
    // A block of the same domain without the port may exist already: keep that one.
    await tx`
      INSERT INTO blocks (kind, value, created_at, by_user)
        SELECT kind, ${domain}, created_at, by_user FROM blocks
        WHERE kind = 'domain' AND value = ${value}
      ON CONFLICT (kind, value) DO NOTHING`;
    await tx`DELETE FROM blocks WHERE kind = 'domain' AND value = ${value}`;
  }
}
