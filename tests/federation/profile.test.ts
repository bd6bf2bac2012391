import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Accept, Update } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { getJson, SITE_YML } from "./e2e.ts";

let content: string;
let server: TestServer;
let peer: Peer;

beforeAll(async () => {
  content = await mkdtemp(join(tmpdir(), "loa-profile-"));
  await mkdir(join(content, "articles"), { recursive: true });
  await writeFile(join(content, "site.yml"), SITE_YML);
  server = await startServer({ contentDir: content });
  peer = await startPeer();
  await peer.follow(`${server.origin}/users/cualo`);
  await peer.waitFor((r) => r.activity instanceof Accept);
});

afterAll(async () => {
  await peer?.close();
  await server?.cleanup();
  await rm(content, { recursive: true, force: true });
});

it("a profile edited in site.yml goes out once as Update(Organization)", async () => {
  const actorUrl = `${server.origin}/users/cualo`;
  const isProfileUpdate = (r: { activity: unknown }) =>
    r.activity instanceof Update && r.activity.objectId?.href === actorUrl;
  expect(peer.received.filter(isProfileUpdate)).toHaveLength(0);

  await writeFile(
    join(content, "site.yml"),
    SITE_YML.replace("name: Thị xã Cửa Lò", "name: UBND Thị xã Cửa Lò"),
  );
  const [update] = await peer.waitFor(isProfileUpdate);
  expect(update?.activity.actorId?.href).toBe(actorUrl);
  // What the peer's server dereferences shows the new name.
  expect((await getJson(actorUrl)).name).toBe("UBND Thị xã Cửa Lò");

  // A restart with the same profile announces nothing new.
  await server.stop();
  await server.start();
  await new Promise((r) => setTimeout(r, 1_500));
  expect(peer.received.filter(isProfileUpdate)).toHaveLength(1);
});
