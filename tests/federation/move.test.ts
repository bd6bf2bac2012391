/**
 * Moving house, with two real servers on loopback: the old one moves to the
 * new one (`npm run move`), whose `actor.aliases` lists it; its follower
 * receives a signed Move. A move to an account that does not list the old
 * one is refused and sends nothing.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Accept, Move } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, type Received, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { AS2, ENTRY, eventually, getJson, SITE_YML } from "./e2e.ts";

const ROOT = resolve(import.meta.dirname, "../..");

let base: string;
let oldServer: TestServer;
let newServer: TestServer;
let peer: Peer;
let oldActor: string;
let newActor: string;

async function contentDir(name: string, siteYml: string): Promise<string> {
  const dir = join(base, name);
  await mkdir(join(dir, "articles"), { recursive: true });
  await writeFile(join(dir, "site.yml"), siteYml);
  return dir;
}

/** Runs `npm run move`'s script with the old server's settings. */
async function move(target: string): Promise<{ code: number | null; output: string }> {
  const proc = spawn(
    join(ROOT, "node_modules/.bin/node"),
    [join(ROOT, "src/move-cli.ts"), target],
    {
      cwd: base,
      env: {
        PATH: process.env.PATH,
        PORT: String(oldServer.port),
        ORIGIN: oldServer.origin,
        CONTENT_DIR: join(base, "old"),
        KEYS_DIR: oldServer.keysDir,
        DATA_DIR: oldServer.dataDir,
        ALLOW_PRIVATE_ADDRESS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  proc.stdout.on("data", (d) => {
    output += String(d);
  });
  proc.stderr.on("data", (d) => {
    output += String(d);
  });
  const code = await new Promise<number | null>((r) => proc.once("exit", (c) => r(c)));
  return { code, output };
}

const moves = () => peer.received.filter((r: Received) => r.activity instanceof Move);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-move-"));
  oldServer = await startServer({ contentDir: await contentDir("old", SITE_YML), entry: ENTRY });
  oldActor = `${oldServer.origin}/users/cualo`;
  // The new account does not list the old one yet.
  newServer = await startServer({ contentDir: await contentDir("new", SITE_YML), entry: ENTRY });
  newActor = `${newServer.origin}/users/cualo`;
  peer = await startPeer();
  await peer.follow(oldActor);
  await peer.waitFor((r) => r.activity instanceof Accept);
});

afterAll(async () => {
  await peer?.close();
  await oldServer?.cleanup();
  await newServer?.cleanup();
  await rm(base, { recursive: true, force: true });
});

describe("npm run move", () => {
  it("refuses a move to an account that does not list this one, and sends nothing", async () => {
    const { code, output } = await move(newActor);
    expect(code).toBe(1);
    expect(output).toMatch(/Refused, nothing sent: .*alsoKnownAs/);
    expect((await getJson(oldActor)).movedTo).toBeUndefined();
    const notAnActor = await move(`${newServer.origin}/`);
    expect(notAnActor.code).toBe(1);
    // Nothing was queued: a later delivery would have arrived by now.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(moves()).toHaveLength(0);
  });

  it("moves to an account that lists this one: a signed Move reaches the follower", async () => {
    await writeFile(
      join(base, "new", "site.yml"),
      SITE_YML.replace("actor:\n", `actor:\n  aliases: [${oldActor}]\n`),
    );
    await eventually(
      // An array even with one alias, as snac (like any strict reader) requires.
      async () =>
        JSON.stringify((await getJson(newActor)).alsoKnownAs) === JSON.stringify([oldActor]),
      "the new account to list the old one, in an array",
    );

    const { code, output } = await move(newActor);
    expect(code, output).toBe(0);
    expect(output).toContain("queued for 1 follower(s)");
    expect(output).toContain("Done");

    // The peer records only activities whose signature it verified.
    const [received] = await peer.waitFor((r) => r.activity instanceof Move);
    const activity = received?.activity as Move;
    expect(activity.actorId?.href).toBe(oldActor);
    expect(activity.objectId?.href).toBe(oldActor);
    expect(activity.targetId?.href).toBe(newActor);
    expect(moves()).toHaveLength(1);

    // The old actor names its successor, and the Move dereferences.
    expect((await getJson(oldActor)).movedTo).toBe(newActor);
    const dereferenced = await getJson(String(activity.id));
    expect(dereferenced).toMatchObject({ type: "Move", object: oldActor, target: newActor });
  });

  it("keeps WebFinger and the actor answering after the move", async () => {
    const host = new URL(oldServer.origin).host;
    const res = await fetch(
      `${oldServer.origin}/.well-known/webfinger?resource=acct:cualo@${host}`,
    );
    expect(res.status).toBe(200);
    const jrd = (await res.json()) as { links: { rel: string; href: string }[] };
    expect(jrd.links.find((l) => l.rel === "self")?.href).toBe(oldActor);
    const actor = await fetch(oldActor, { headers: { Accept: AS2 } });
    expect(actor.status).toBe(200);
  });
});
