import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStorage, sqlitePath } from "../../src/storage/open.ts";
import { postgresUrl } from "../helpers/postgres.ts";
import { tempDir } from "./backends.ts";

const pg = await postgresUrl();

describe("openStorage", () => {
  it("uses a SQLite file in DATA_DIR, creating the directory, when no database URL is set", async () => {
    const dataDir = join(tempDir(), "nested", "data");
    const storage = await openStorage({ dataDir, databaseUrl: undefined });
    try {
      expect(storage.backend).toBe("sqlite");
      expect(existsSync(sqlitePath(dataDir))).toBe(true);
      expect(sqlitePath(dataDir)).toBe(join(dataDir, "loa.sqlite"));
    } finally {
      await storage.close();
    }
  });

  it.skipIf(pg === null)("uses PostgreSQL when a database URL is set", async () => {
    const dataDir = join(tempDir(), "unused");
    const storage = await openStorage({ dataDir, databaseUrl: pg as string });
    try {
      expect(storage.backend).toBe("postgres");
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await storage.close();
    }
  });

  it("fails clearly when PostgreSQL cannot be reached", async () => {
    await expect(
      openStorage({ dataDir: tempDir(), databaseUrl: "postgres://nobody@127.0.0.1:1/none" }),
    ).rejects.toThrow();
  });
});
