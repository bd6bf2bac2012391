import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRequest } from "@fedify/fedify";
import { Accept } from "@fedify/fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRsa } from "../../src/federation/keys.ts";
import { type Peer, startPeer } from "../helpers/peer.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { AS2, ENTRY, eventually, followerCount, getJson, SITE_YML } from "./e2e.ts";

let base: string;
let server: TestServer;
let peer: Peer;
let actorUrl: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "loa-follow-"));
  await mkdir(join(base, "articles"), { recursive: true });
  await writeFile(join(base, "site.yml"), SITE_YML);
  server = await startServer({ contentDir: base, entry: ENTRY });
  peer = await startPeer();
  actorUrl = `${server.origin}/users/cualo`;
});

afterAll(async () => {
  await peer?.close();
  await server?.cleanup();
  await rm(base, { recursive: true, force: true });
});

describe("discovery", () => {
  it("finds the actor by WebFinger; self equals the actor id", async () => {
    const host = new URL(server.origin).host;
    const res = await fetch(`${server.origin}/.well-known/webfinger?resource=acct:cualo@${host}`);
    expect(res.status).toBe(200);
    const jrd = (await res.json()) as { links: { rel: string; href: string; type?: string }[] };
    const self = jrd.links.find((l) => l.rel === "self");
    expect(self?.href).toBe(actorUrl);
    expect(self?.type).toBe(AS2);
  });

  it("serves the Organization with the contract's fields", async () => {
    const actor = await getJson(actorUrl);
    expect(actor).toMatchObject({
      id: actorUrl,
      type: "Organization",
      preferredUsername: "cualo",
      name: "Thị xã Cửa Lò",
      url: `${server.origin}/`,
      inbox: `${actorUrl}/inbox`,
      outbox: `${actorUrl}/outbox`,
      followers: `${actorUrl}/followers`,
      following: `${actorUrl}/following`,
      endpoints: { sharedInbox: `${server.origin}/inbox` },
      manuallyApprovesFollowers: false,
      discoverable: true,
      attributionDomains: [new URL(server.origin).host],
    });
    expect(String(actor.summary)).toContain("Tin tức chính thức");
    expect((actor.publicKey as { publicKeyPem: string }).publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const methods = [actor.assertionMethod].flat() as {
      type: string;
      publicKeyMultibase: string;
    }[];
    expect(methods[0]?.type).toBe("Multikey");
    // Ed25519 multikeys start with z6Mk.
    expect(methods[0]?.publicKeyMultibase).toMatch(/^z6Mk/);
  });

  it("answers NodeInfo 2.1 through the discovery document", async () => {
    const wellKnown = (await (await fetch(`${server.origin}/.well-known/nodeinfo`)).json()) as {
      links: { rel: string; href: string }[];
    };
    const link = wellKnown.links.find((l) => l.rel.endsWith("/schema/2.1"));
    expect(link).toBeDefined();
    const info = (await (await fetch(String(link?.href))).json()) as {
      software: { name: string };
      protocols: string[];
      usage: { users: { total: number } };
    };
    expect(info.software.name).toBe("loa");
    expect(info.protocols).toEqual(["activitypub"]);
    expect(info.usage.users.total).toBe(1);
  });
});

describe("refusals", () => {
  const body = () =>
    JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/follows/forged-${Math.random()}`,
      type: "Follow",
      actor: peer.actorId.href,
      object: actorUrl,
    });
  const post = (headers: Record<string, string> = {}, text = body()) =>
    new Request(`${actorUrl}/inbox`, {
      method: "POST",
      headers: { "Content-Type": AS2, ...headers },
      body: text,
    });

  it("refuses an unsigned Follow with 401", async () => {
    const res = await fetch(post());
    expect(res.status).toBe(401);
    expect(await followerCount(actorUrl)).toBe(0);
  });

  it("refuses a Follow signed with a key that is not the actor's", async () => {
    const { privateKey } = await generateRsa();
    const signed = await signRequest(post(), privateKey, peer.keyId);
    const res = await fetch(signed);
    expect(res.status).toBe(401);
    expect(await followerCount(actorUrl)).toBe(0);
  });

  it("refuses a signed Follow whose body no longer matches its Digest", async () => {
    const signed = await signRequest(post(), peer.privateKey, peer.keyId);
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: body().replace("Follow", "Follow "),
    });
    const res = await fetch(tampered);
    expect(res.status).toBe(401);
    expect(await followerCount(actorUrl)).toBe(0);
  });
});

describe("following", () => {
  it("accepts a Follow with a signed Accept, stores the follower, and forgets it on Undo", async () => {
    const follow = await peer.follow(actorUrl);
    const [accepted] = await peer.waitFor((r) => r.activity instanceof Accept);
    const accept = accepted?.activity as Accept;
    expect(accept.actorId?.href).toBe(actorUrl);
    expect(accept.objectId?.href).toBe(follow.id?.href);
    await eventually(async () => (await followerCount(actorUrl)) === 1, "one follower");
    // The refused (forged) Follows earlier were never accepted.
    const accepts = peer.received.filter((r) => r.activity instanceof Accept);
    expect(accepts.map((r) => (r.activity as Accept).objectId?.href)).toEqual([follow.id?.href]);

    await peer.unfollow(actorUrl, follow);
    await eventually(async () => (await followerCount(actorUrl)) === 0, "no followers");
  });
});
