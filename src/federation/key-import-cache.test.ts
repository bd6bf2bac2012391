import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { installKeyImportCache } from "./key-import-cache.ts";

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** A SubtleCrypto of its own, so the test never touches the process's global one. */
function freshSubtle(): typeof webcrypto.subtle {
  const subtle = webcrypto.subtle;
  return Object.create(Object.getPrototypeOf(subtle), {
    importKey: { value: subtle.importKey.bind(subtle), writable: true, configurable: true },
  });
}

async function rsaJwks() {
  const pair = await webcrypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  return {
    privateJwk: await webcrypto.subtle.exportKey("jwk", pair.privateKey),
    publicJwk: await webcrypto.subtle.exportKey("jwk", pair.publicKey),
    publicKey: pair.publicKey,
  };
}

describe("installKeyImportCache", () => {
  it("gives the key imported before for the same private JWK, parsed anew each time", async () => {
    const subtle = freshSubtle();
    installKeyImportCache(subtle);
    const { privateJwk, publicKey } = await rsaJwks();
    // As from a queued message: a fresh object each time, fields in another order.
    const again = JSON.parse(JSON.stringify(privateJwk, Object.keys(privateJwk).reverse()));
    const a = await subtle.importKey("jwk", privateJwk, RSA, true, ["sign"]);
    const b = await subtle.importKey("jwk", again, RSA, true, ["sign"]);
    expect(b).toBe(a);
    const data = new TextEncoder().encode("(request-target): post /inbox");
    const signature = await webcrypto.subtle.sign(RSA.name, b, data);
    expect(await webcrypto.subtle.verify(RSA.name, publicKey, signature, data)).toBe(true);
  });

  it("imports anew for another key, other usages, and public keys", async () => {
    const subtle = freshSubtle();
    installKeyImportCache(subtle);
    const one = await rsaJwks();
    const two = await rsaJwks();
    const a = await subtle.importKey("jwk", one.privateJwk, RSA, true, ["sign"]);
    expect(await subtle.importKey("jwk", two.privateJwk, RSA, true, ["sign"])).not.toBe(a);
    expect(await subtle.importKey("jwk", one.privateJwk, RSA, false, ["sign"])).not.toBe(a);
    const p1 = await subtle.importKey("jwk", one.publicJwk, RSA, true, ["verify"]);
    const p2 = await subtle.importKey("jwk", one.publicJwk, RSA, true, ["verify"]);
    expect(p2).not.toBe(p1);
    expect(p2.type).toBe("public");
  });

  it("does not remember a failed import", async () => {
    const { privateJwk } = await rsaJwks();
    // An import that fails once (say, the thread pool was shutting down), then works.
    let calls = 0;
    const subtle = Object.create(Object.getPrototypeOf(webcrypto.subtle), {
      importKey: {
        value: async (...args: Parameters<typeof webcrypto.subtle.importKey>) => {
          calls++;
          if (calls === 1) throw new Error("import failed");
          return await webcrypto.subtle.importKey(...args);
        },
        writable: true,
        configurable: true,
      },
    }) as typeof webcrypto.subtle;
    installKeyImportCache(subtle);
    await expect(subtle.importKey("jwk", privateJwk, RSA, true, ["sign"])).rejects.toThrow(
      "import failed",
    );
    await new Promise((resolve) => setImmediate(resolve));
    const good = await subtle.importKey("jwk", privateJwk, RSA, true, ["sign"]);
    expect(good.type).toBe("private");
    expect(await subtle.importKey("jwk", privateJwk, RSA, true, ["sign"])).toBe(good);
    expect(calls).toBe(2);
  });

  it("keeps at most the given number of keys, dropping the least recently used", async () => {
    const subtle = freshSubtle();
    installKeyImportCache(subtle, 2);
    const [k1, k2, k3] = [await rsaJwks(), await rsaJwks(), await rsaJwks()];
    const first = await subtle.importKey("jwk", k1.privateJwk, RSA, true, ["sign"]);
    const second = await subtle.importKey("jwk", k2.privateJwk, RSA, true, ["sign"]);
    expect(await subtle.importKey("jwk", k1.privateJwk, RSA, true, ["sign"])).toBe(first);
    await subtle.importKey("jwk", k3.privateJwk, RSA, true, ["sign"]);
    // k2 was the least recently used and is gone; k1 stays.
    expect(await subtle.importKey("jwk", k1.privateJwk, RSA, true, ["sign"])).toBe(first);
    expect(await subtle.importKey("jwk", k2.privateJwk, RSA, true, ["sign"])).not.toBe(second);
  });
});
