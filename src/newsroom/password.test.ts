import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.ts";

describe("staff password hashes", () => {
  it("verifies the password a hash was made from, and no other", async () => {
    const hash = await hashPassword("Phường Cửa Lò 2024");
    expect(await verifyPassword("Phường Cửa Lò 2024", hash)).toBe(true);
    expect(await verifyPassword("Phường Cửa Lò 2025", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("writes a self-describing scrypt hash with its own random salt, never the password", async () => {
    const [one, two] = await Promise.all([
      hashPassword("correct horse battery"),
      hashPassword("correct horse battery"),
    ]);
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(one).not.toBe(two);
    expect(one.split("$")[4]).not.toBe(two.split("$")[4]);
    expect(one).not.toContain("horse");
    expect(await verifyPassword("correct horse battery", two)).toBe(true);
  });

  it("accepts the password however its accents were composed", async () => {
    const composed = "Mật khẩu dài đủ".normalize("NFC");
    const hash = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize("NFD"), hash)).toBe(true);
  });

  it("answers false for a tampered or malformed hash instead of throwing", async () => {
    const hash = await hashPassword("a long enough password");
    const parts = hash.split("$");
    const flipped = Buffer.from(parts[5] ?? "", "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 5), flipped.toString("base64").replace(/=+$/, "")];
    expect(await verifyPassword("a long enough password", tampered.join("$"))).toBe(false);
    for (const bad of [
      "",
      "a long enough password",
      parts.slice(0, 5).join("$"),
      ["bcrypt", ...parts.slice(1)].join("$"),
      ["scrypt", "1000", ...parts.slice(2)].join("$"),
      // 2^30 · 8 would need 1 TiB: refused before any work.
      ["scrypt", String(2 ** 30), ...parts.slice(2)].join("$"),
      [...parts.slice(0, 4), "!!!", parts[5]].join("$"),
    ]) {
      expect(await verifyPassword("a long enough password", bad)).toBe(false);
    }
  });

  it("still verifies a hash made at another cost", async () => {
    // The format carries its parameters: a cheaper hash from elsewhere still checks.
    const { scryptSync } = await import("node:crypto");
    const salt = Buffer.from("0123456789abcdef");
    const key = scryptSync("an older password", salt, 32, { N: 1024, r: 8, p: 1 });
    const hash = `scrypt$1024$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    expect(await verifyPassword("an older password", hash)).toBe(true);
    expect(await verifyPassword("another password", hash)).toBe(false);
  });
});
