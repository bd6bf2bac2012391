/**
 * Two admins take each other's admin role away (or remove each other) at the
 * same instant, each through a store of its own on one database, as two web
 * processes would. One change must happen, the other be refused as the last
 * admin's, with no audit record for it.
 *
 * The race is made certain with a gate rather than left to timing: a third
 * connection holds a lock both changes need (SQLite's write lock; PostgreSQL's
 * SHARE lock on `staff`, which lets row locks through but no UPDATE or DELETE)
 * until both are waiting on it, then lets go. A check done outside the
 * transaction, or before its locks, is then passed by both.
 */
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openStorage, sqlitePath } from "../../src/storage/open.ts";
import type { Store } from "../../src/storage/store.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { sleep, tempDir, until } from "./backends.ts";
import type { Contender } from "./last-admin-contender.ts";

type Action = Contender["action"];

/** An takes Binh's role (or account) while Binh takes An's. */
const SIDES = [
  { actor: "an", subject: "binh" },
  { actor: "binh", subject: "an" },
] as const;

const pg = await postgresUrl();

async function seedAdmins(store: Store): Promise<void> {
  for (const username of ["an", "binh"]) {
    await store.putStaff({ username, passwordHash: "h", createdAt: new Date(), roles: ["admin"] });
  }
  await store.putStaff({ username: "chi", passwordHash: "h", createdAt: new Date() });
}

function change(store: Store, action: Action, side: (typeof SIDES)[number]) {
  const audit = {
    at: new Date(),
    actor: side.actor,
    action: `staff.${action}`,
    subject: side.subject,
    outcome: "ok" as const,
    address: "203.0.113.7",
    detail: null,
  };
  return action === "roles"
    ? store.setStaffRoles(side.subject, ["editor"], audit)
    : store.removeStaff(side.subject, audit);
}

async function expectOneAdminLeft(store: Store, action: Action, results: unknown[]) {
  const admins = (await store.listStaff())
    .filter((account) => account.roles.includes("admin"))
    .map((account) => account.username);
  expect(admins, "admins left").toHaveLength(1);
  expect([...results].sort()).toEqual(["changed", "last-admin"]);
  const winner = SIDES[results.indexOf("changed")];
  expect(admins).toEqual([winner?.actor]);
  const records = (await store.listAudit({ limit: 10 })).items;
  expect(records.map((r) => [r.actor, r.action, r.subject])).toEqual([
    [winner?.actor, `staff.${action}`, winner?.subject],
  ]);
}

/** The messages a contender sends, in order: ready, calling, then its result. */
function contender(job: Contender) {
  const worker = new Worker(new URL("./last-admin-contender.ts", import.meta.url), {
    workerData: job,
  });
  const said = (key: string) =>
    new Promise<unknown>((resolve, reject) => {
      worker.on("message", (message: Record<string, unknown>) => {
        if (key in message) resolve(message[key]);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => reject(new Error(`contender exited (${code}) before ${key}`)));
    });
  return { ready: said("ready"), calling: said("calling"), result: said("result") };
}

describe("The last admin on SQLite, two handles in two threads", () => {
  for (const action of ["roles", "remove"] as const) {
    it(`keeps one admin when two take each other's admin away at once (${action})`, async () => {
      const dataDir = tempDir();
      const reader = await openStorage({ dataDir, databaseUrl: undefined });
      try {
        await seedAdmins(reader.store);
        const gate = new SharedArrayBuffer(4);
        const sides = SIDES.map((side) => contender({ dataDir, action, gate, ...side }));
        await Promise.all(sides.map((side) => side.ready));
        const holder = new DatabaseSync(sqlitePath(dataDir));
        holder.exec("BEGIN IMMEDIATE");
        Atomics.store(new Int32Array(gate), 0, 1);
        Atomics.notify(new Int32Array(gate), 0);
        await Promise.all(sides.map((side) => side.calling));
        // Both are inside their store call now, waiting (busy_timeout) for the write lock.
        await sleep(300);
        holder.exec("COMMIT");
        holder.close();
        const results = await Promise.all(sides.map((side) => side.result));
        await expectOneAdminLeft(reader.store, action, results);
      } finally {
        await reader.close();
      }
    });
  }
});

describe.skipIf(pg === null)("The last admin on PostgreSQL, two stores on one database", () => {
  for (const action of ["roles", "remove"] as const) {
    it(`keeps one admin when two take each other's admin away at once (${action})`, async () => {
      const base = await freshPostgresUrl();
      // The contenders' connections are named, so the gate can see them wait.
      const name = `loa-last-admin-${crypto.randomUUID().slice(0, 8)}`;
      const url = new URL(base);
      url.searchParams.set("application_name", name);
      const first = await openStorage({ dataDir: tempDir(), databaseUrl: url.href });
      const second = await openStorage({ dataDir: tempDir(), databaseUrl: url.href });
      const gate = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await seedAdmins(first.store);
        let racing: Promise<unknown[]> | undefined;
        await gate.begin(async (tx) => {
          await tx`LOCK TABLE staff IN SHARE MODE`;
          const stores = [first.store, second.store];
          racing = Promise.all(SIDES.map((side, i) => change(stores[i] as Store, action, side)));
          racing.catch(() => {}); // awaited below
          await until(async () => {
            const [row] = await tx<{ waiting: number }[]>`
              SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE application_name = ${name} AND wait_event_type = 'Lock'`;
            return row?.waiting === 2;
          });
        });
        const results = await (racing as Promise<unknown[]>);
        await expectOneAdminLeft(first.store, action, results);
      } finally {
        await gate.end({ timeout: 1 });
        await first.close();
        await second.close();
      }
    });
  }
});
