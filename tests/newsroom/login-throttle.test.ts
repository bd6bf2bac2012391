/**
 * Login throttling that strangers cannot turn against staff (the contract's
 * "The newsroom"), against the real server over real HTTP on loopback, on
 * both backends: 300 wrong guesses at once get no more 401s than the limit,
 * a browser that logged in before still gets in while the account is locked
 * for strangers, and a new password ends the sessions the old one opened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_LIMIT } from "../../src/newsroom/http/throttle.ts";
import { hashPassword } from "../../src/newsroom/password.ts";
import { openStorage } from "../../src/storage/open.ts";
import { makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { csrfFieldOf, sendFrom, staffClient } from "../helpers/newsroom.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const STAFF = { username: "thu", password: "mật khẩu của thu 2021" };
const pg = await postgresUrl();

let content: TempContent;
beforeAll(async () => {
  content = await makeContentDir({});
});
afterAll(async () => {
  await content?.cleanup();
});

for (const backend of ["sqlite", "postgres"] as const) {
  describe.skipIf(backend === "postgres" && pg === null)(`login throttling on ${backend}`, () => {
    let server: TestServer;
    let databaseUrl: string | undefined;

    /** Sets the account's password as `npm run staff -- add` does (creating it the first time). */
    async function setPassword(password: string) {
      const storage = await openStorage({ dataDir: server.dataDir, databaseUrl });
      try {
        await storage.store.putStaff({
          username: STAFF.username,
          passwordHash: await hashPassword(password),
          createdAt: new Date(),
          roles: ["admin"],
        });
      } finally {
        await storage.close();
      }
    }

    beforeAll(async () => {
      databaseUrl = backend === "postgres" ? await freshPostgresUrl() : undefined;
      server = await startServer({
        contentDir: content.dir,
        env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
      });
      await setPassword(STAFF.password);
    });
    afterAll(async () => {
      await server?.cleanup();
    });

    it("300 wrong guesses at once get at most 10 401s; the staff's own browser still gets in; a new password ends its session", {
      timeout: 180_000,
    }, async () => {
      // The member's own browser, which has logged in before (and so holds a device cookie).
      const own = staffClient(sendFrom(server.origin, "127.0.0.1"));
      expect((await own.login(STAFF.username, STAFF.password)).status).toBe(303);
      expect([...own.cookies.keys()]).toContain(`loa_device_${STAFF.username}`);

      // A stranger: one login form, then 300 guesses at once.
      const stranger = staffClient(sendFrom(server.origin, "127.0.0.2"));
      const csrf = csrfFieldOf(await (await stranger.get("/admin/login")).text()) ?? "";
      const guesses = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          stranger.post("/admin/login", {
            csrf,
            username: STAFF.username,
            password: `wrong guess number ${i}`,
          }),
        ),
      );
      const statuses = guesses.map((r) => r.status);
      const unauthorized = statuses.filter((s) => s === 401).length;
      expect(unauthorized).toBeLessThanOrEqual(ACCOUNT_LIMIT);
      expect(unauthorized).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);

      // Locked for strangers, even with the right password, from anywhere.
      const other = staffClient(sendFrom(server.origin, "127.0.0.3"));
      expect((await other.login(STAFF.username, STAFF.password)).status).toBe(429);

      // The member's browser keeps its own allowance: it logs in again.
      own.cookies.delete("loa_session");
      const again = await own.login(STAFF.username, STAFF.password);
      expect(again.status).toBe(303);
      expect((await own.get("/admin/")).status).toBe(200);

      // A reset password ends that session at once.
      await setPassword("một mật khẩu mới hoàn toàn");
      const after = await own.get("/admin/");
      expect(after.status).toBe(303);
      expect(after.headers.get("location")).toMatch(/^\/admin\/login/);
    });
  });
}
