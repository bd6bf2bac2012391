/**
 * The schema step that brings roles: an account made before it (when every
 * account could do everything) is an `admin` after it, on both backends.
 */
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { sqlitePath } from "../../src/storage/open.ts";
import { SCHEMA_STAFF_ROLES as PG_STEP } from "../../src/storage/postgres/schema-roles.ts";
import { SCHEMA_STAFF_ROLES as SQLITE_STEP } from "../../src/storage/sqlite/schema-roles.ts";
import { type Backend, backends, type Target } from "./backends.ts";

/** Takes the step back, stores an account as the release before it did, and runs the step again. */
async function replayStep(backend: Backend, target: Target): Promise<void> {
  if (backend.name === "sqlite") {
    const db = new DatabaseSync(sqlitePath(target.dataDir));
    try {
      db.exec("ALTER TABLE staff DROP COLUMN roles; ALTER TABLE staff DROP COLUMN email");
      db.prepare("INSERT INTO staff (username, password_hash, created_at) VALUES (?, ?, ?)").run(
        "thu",
        "scrypt$old",
        0,
      );
      db.exec(SQLITE_STEP);
    } finally {
      db.close();
    }
    return;
  }
  const sql = postgres(target.databaseUrl as string, { max: 1, onnotice: () => {} });
  try {
    await sql`ALTER TABLE staff DROP COLUMN roles, DROP COLUMN email`;
    await sql`INSERT INTO staff (username, password_hash, created_at)
              VALUES ('thu', 'scrypt$old', ${new Date(0)})`;
    await sql.unsafe(PG_STEP);
  } finally {
    await sql.end();
  }
}

for (const backend of await backends()) {
  describe.skipIf(!backend.available)(`Roles on a ${backend.name} store`, () => {
    it("make an account from before roles an admin, and a new one a writer", async () => {
      const target = await backend.target();
      await (await target.open()).close();
      await replayStep(backend, target);
      const storage = await target.open();
      try {
        expect(await storage.store.getStaff("thu")).toMatchObject({
          passwordHash: "scrypt$old",
          roles: ["admin"],
          email: null,
        });
        await storage.store.putStaff({ username: "an", passwordHash: "h", createdAt: new Date() });
        expect((await storage.store.getStaff("an"))?.roles).toEqual(["writer"]);
      } finally {
        await storage.close();
      }
    });
  });
}
