import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyFileError, loadOrCreateKeys } from "./keys.ts";

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "loa-keys-")), "keys");
});
afterEach(async () => {
  await rm(join(dir, ".."), { recursive: true, force: true });
});

describe("loadOrCreateKeys", () => {
  it("generates RSA-2048 and Ed25519 pairs as 0600 JWK files in a 0700 dir", async () => {
    const keys = await loadOrCreateKeys(dir);
    expect(keys.rsa.publicKey.algorithm).toMatchObject({
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
    });
    expect(keys.ed25519.publicKey.algorithm.name).toBe("Ed25519");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const file of ["rsa.jwk.json", "ed25519.jwk.json"]) {
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
      const jwk = JSON.parse(await readFile(join(dir, file), "utf8"));
      expect(jwk.privateKey.d).toBeTypeOf("string");
    }
  });

  it("loads the same keys on the next start", async () => {
    await loadOrCreateKeys(dir);
    const before = await readFile(join(dir, "rsa.jwk.json"), "utf8");
    const again = await loadOrCreateKeys(dir);
    expect(await readFile(join(dir, "rsa.jwk.json"), "utf8")).toBe(before);
    const jwk = await crypto.subtle.exportKey("jwk", again.rsa.publicKey);
    expect(jwk.n).toBe(JSON.parse(before).publicKey.n);
  });

  it("gives processes starting at once on a shared dir one and the same identity", async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateKeys(dir)));
    const moduli = await Promise.all(
      all.map(async (k) => (await crypto.subtle.exportKey("jwk", k.rsa.publicKey)).n),
    );
    expect(new Set(moduli).size).toBe(1);
    expect(moduli[0]).toBe(
      JSON.parse(await readFile(join(dir, "rsa.jwk.json"), "utf8")).publicKey.n,
    );
    const edKeys = await Promise.all(
      all.map(async (k) => (await crypto.subtle.exportKey("jwk", k.ed25519.publicKey)).x),
    );
    expect(new Set(edKeys).size).toBe(1);
  });

  it("refuses to start on an unreadable key file, naming it, and does not replace it", async () => {
    await loadOrCreateKeys(dir);
    const path = join(dir, "ed25519.jwk.json");
    await writeFile(path, "{ not json");
    const error = await loadOrCreateKeys(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toContain(path);
    expect(await readFile(path, "utf8")).toBe("{ not json");
  });
});
