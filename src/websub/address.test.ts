import { describe, expect, it } from "vitest";
import { createAddressGuard, isPrivateAddress } from "./address.ts";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("createAddressGuard", () => {
  const lookup = async (host: string) =>
    host === "portal.example"
      ? [
          { address: "93.184.216.34", family: 4 },
          { address: "10.0.0.8", family: 4 },
        ]
      : host === "public.example"
        ? [{ address: "93.184.216.34", family: 4 }]
        : Promise.reject(new Error("ENOTFOUND"));

  it("refuses a name with any private address, and one that does not resolve", async () => {
    const guard = createAddressGuard(false, lookup);
    expect(await guard.refusal(new URL("https://portal.example/cb"))).toMatch(/10\.0\.0\.8/);
    expect(await guard.refusal(new URL("https://nowhere.example/cb"))).toMatch(/does not resolve/);
    expect(await guard.refusal(new URL("http://[::1]:8080/cb"))).toMatch(/private or loopback/);
    expect(await guard.refusal(new URL("https://public.example/cb"))).toBeNull();
  });

  it("allows everything with ALLOW_PRIVATE_ADDRESS", async () => {
    const guard = createAddressGuard(true, lookup);
    expect(await guard.refusal(new URL("http://127.0.0.1/cb"))).toBeNull();
  });
});
