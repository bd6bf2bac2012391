/**
 * `npm run staff` end to end: the real command in its own process, the
 * password on standard input (a pipe, or a terminal through `script`), then
 * the store opened as the server would.
 */
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/newsroom/password.ts";
import { openStorage } from "../../src/storage/open.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";
import { tempDir } from "../storage/backends.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = "src/cli/staff.ts";
const pg = await postgresUrl();
const hasScript = spawnSync("script", ["--version"]).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Place {
  dataDir: string;
  databaseUrl?: string;
}

function env(place: Place): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: place.dataDir, DATABASE_URL: place.databaseUrl ?? "" };
}

/** Runs the command with `input` piped to it. */
function staff(place: Place, args: string[], input = ""): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: env(place) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.on("error", () => {}); // it may stop reading after the first line
    child.stdin.end(input);
  });
}

async function storedHash(place: Place, username: string): Promise<string | null> {
  const storage = await openStorage({
    dataDir: place.dataDir,
    databaseUrl: place.databaseUrl,
  });
  try {
    return (await storage.store.getStaff(username))?.passwordHash ?? null;
  } finally {
    await storage.close();
  }
}

describe("npm run staff", () => {
  it("adds an account with the password piped in, stored only as a hash", async () => {
    const place = { dataDir: tempDir() };
    const password = "Mật khẩu của Thu 2024";
    const run = await staff(place, ["add", "Thu.Nguyen"], `${password}\nnot this line\n`);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.trim()).toBe('Created staff account "thu.nguyen".');
    const hash = await storedHash(place, "thu.nguyen");
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(password, hash ?? "")).toBe(true);
    expect(await verifyPassword("not this line", hash ?? "")).toBe(false);
    expect(hash).not.toContain(password);
  });

  it("resets the password of an existing account, and says so", async () => {
    const place = { dataDir: tempDir() };
    await staff(place, ["add", "an"], "the first password\n");
    const run = await staff(place, ["add", "an"], "the second password\r\n");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('Reset the password of staff account "an".');
    const hash = (await storedHash(place, "an")) ?? "";
    expect(await verifyPassword("the second password", hash)).toBe(true);
    expect(await verifyPassword("the first password", hash)).toBe(false);
  });

  it("refuses a password shorter than 12 characters and stores nothing", async () => {
    const place = { dataDir: tempDir() };
    for (const input of ["short pass\n", "\n", ""]) {
      const run = await staff(place, ["add", "binh"], input);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/password/);
      if (input.trim() !== "") expect(run.stderr).not.toContain(input.trim());
    }
    expect(await storedHash(place, "binh")).toBeNull();
  });

  // Each case is a process of its own (about 2 s on a busy machine): they run side by side.
  it("refuses a username outside a-z, 0-9, _ . -", { timeout: 120_000 }, async () => {
    const place = { dataDir: tempDir() };
    const names = ["thu nguyen", "thu@town", "", "x".repeat(65), "trần"];
    const runs = await Promise.all(
      names.map((name) => staff(place, ["add", name], "a long enough password\n")),
    );
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^staff: username ".*" must be 1 to 64 characters/);
    }
  });

  it("shows its usage for a command it does not know", { timeout: 120_000 }, async () => {
    const place = { dataDir: tempDir() };
    const calls = [
      [],
      ["add"],
      ["rename", "thu"],
      ["add", "thu", "extra"],
      ["add", "thu", "--bogus"],
      ["roles", "thu"],
    ];
    const runs = await Promise.all(calls.map((args) => staff(place, args)));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^staff: /);
      expect(run.stderr).toContain("Usage: npm run staff -- add <username>");
    }
  });

  it("removes an account with its sessions, and names an account that is not there", async () => {
    const place = { dataDir: tempDir() };
    await staff(place, ["add", "thu"], "a long enough password\n");
    const storage = await openStorage({ dataDir: place.dataDir, databaseUrl: undefined });
    const now = new Date();
    await storage.store.createSession({
      id: "f".repeat(64),
      username: "thu",
      csrfToken: "csrf",
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    await storage.close();

    const run = await staff(place, ["remove", "THU"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('Removed staff account "thu" and its sessions.');
    const after = await openStorage({ dataDir: place.dataDir, databaseUrl: undefined });
    try {
      expect(await after.store.getStaff("thu")).toBeNull();
      expect(await after.store.getSession("f".repeat(64), now)).toBeNull();
    } finally {
      await after.close();
    }
    const again = await staff(place, ["remove", "thu"]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('staff: there is no staff account "thu"');
  });

  it("gives roles and an address; a new account is a writer unless told", {
    timeout: 120_000,
  }, async () => {
    const place = { dataDir: tempDir() };
    const password = "a long enough password\n";
    expect((await staff(place, ["add", "an"], password)).code).toBe(0);
    const binh = await staff(
      place,
      ["add", "binh", "--role", "editor", "--role", "moderator", "--email", "binh@cualo.example"],
      password,
    );
    expect(binh).toMatchObject({ code: 0, stderr: "" });
    const roles = await staff(place, ["roles", "an", "moderator", "admin"]);
    expect(roles).toMatchObject({ code: 0, stderr: "" });
    expect(roles.stdout.trim()).toBe(
      'Staff account "an" is now: moderator, admin. Its sessions ended.',
    );
    const refusals = [
      [["add", "chi", "--role", "boss"], /"boss" is not a role/],
      [["add", "chi", "--email", "not an address"], /is not an e-mail address/],
      [["roles", "an", "writer", "root"], /"root" is not a role/],
      [["roles", "nobody", "writer"], /there is no staff account "nobody"/],
    ] as const;
    const runs = await Promise.all(refusals.map(([args]) => staff(place, [...args], password)));
    for (const [i, run] of runs.entries()) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(refusals[i]?.[1] ?? /never/);
    }
    const storage = await openStorage({ dataDir: place.dataDir, databaseUrl: undefined });
    try {
      expect(await storage.store.getStaff("binh")).toMatchObject({
        roles: ["editor", "moderator"],
        email: "binh@cualo.example",
      });
      expect((await storage.store.getStaff("an"))?.roles).toEqual(["moderator", "admin"]);
      expect(await storage.store.getStaff("chi")).toBeNull();
    } finally {
      await storage.close();
    }
  });

  it("refuses to take the last admin's role or account, naming it", {
    timeout: 120_000,
  }, async () => {
    const place = { dataDir: tempDir() };
    const password = "a long enough password\n";
    expect((await staff(place, ["add", "an", "--role", "admin"], password)).code).toBe(0);
    const why = "it is the last admin, and the newsroom needs one";
    const [roles, remove, reset] = await Promise.all([
      staff(place, ["roles", "an", "editor"]),
      staff(place, ["remove", "an"]),
      staff(place, ["add", "an", "--role", "writer"], password),
    ]);
    for (const run of [roles, remove]) {
      expect(run).toMatchObject({ code: 1, stdout: "" });
      expect(run.stderr.trim()).toBe(`staff: staff account "an" was not changed: ${why}`);
    }
    expect(reset.code).toBe(1);
    expect(reset.stderr.trim()).toBe(
      `staff: reset the password of staff account "an", but kept its roles: ${why}`,
    );
    const storage = await openStorage({ dataDir: place.dataDir, databaseUrl: undefined });
    try {
      expect((await storage.store.getStaff("an"))?.roles).toEqual(["admin"]);
    } finally {
      await storage.close();
    }
  });

  it("prints its usage for --help", async () => {
    const run = await staff({ dataDir: tempDir() }, ["--help"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^Usage: npm run staff -- add <username> \[--role <role>\]/);
  });

  it("names a bad setting instead of opening a store", async () => {
    const run = await staff({ dataDir: tempDir(), databaseUrl: "mysql://db/loa" }, [
      "remove",
      "thu",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "staff: DATABASE_URL must start with postgres:// or postgresql://",
    );
  });

  it.skipIf(pg === null)("uses PostgreSQL when DATABASE_URL is set", async () => {
    const place = { dataDir: tempDir(), databaseUrl: await freshPostgresUrl() };
    const run = await staff(place, ["add", "thu"], "a long enough password\n");
    expect(run.code).toBe(0);
    expect(
      await verifyPassword("a long enough password", (await storedHash(place, "thu")) ?? ""),
    ).toBe(true);
    expect(await storedHash({ dataDir: place.dataDir }, "thu")).toBeNull();
  });

  describe.skipIf(!hasScript)("on a terminal", () => {
    /** Runs the command on a pseudo-terminal, typing each answer after its prompt appears. */
    function typed(place: Place, args: string[], answers: string[]): Promise<Run> {
      const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(" ");
      return new Promise((done, fail) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], {
          cwd: ROOT,
          env: env(place),
        });
        let stdout = "";
        let prompts = 0;
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
          const seen = stdout.split("Password").length - 1;
          while (prompts < seen && prompts < answers.length) {
            child.stdin.write(`${answers[prompts]}\r`);
            prompts++;
          }
        });
        child.on("error", fail);
        child.on("close", (code) => done({ code, stdout, stderr: "" }));
      });
    }

    it("asks twice without echoing what is typed", async () => {
      const place = { dataDir: tempDir() };
      const run = await typed(place, ["add", "thu"], ["typed at a prompt", "typed at a prompt"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Password: ");
      expect(run.stdout).toContain("Password (again): ");
      expect(run.stdout).toContain('Created staff account "thu".');
      expect(run.stdout).not.toContain("typed at a prompt");
      const hash = (await storedHash(place, "thu")) ?? "";
      expect(await verifyPassword("typed at a prompt", hash)).toBe(true);
    });

    it("refuses two different passwords", async () => {
      const place = { dataDir: tempDir() };
      const run = await typed(place, ["add", "thu"], ["typed at a prompt", "typed otherwise"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("staff: the two passwords differ");
      expect(await storedHash(place, "thu")).toBeNull();
    });
  });
});
