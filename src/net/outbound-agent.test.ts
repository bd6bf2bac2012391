/**
 * The process's dispatcher on loopback: special addresses refused where the
 * connection is made (a name that answered a public address before and a
 * loopback one now is never connected to loopback), encoded and oversized
 * bodies refused.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboundAgent } from "./outbound-agent.ts";
import { type Lookup, publicOnlyLookup } from "./pinned-connect.ts";
import { isSpecialAddress } from "./special-addresses.ts";

describe("isSpecialAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "192.0.0.8",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::127.0.0.1",
    "::a00:1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "64:ff9b::10.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::1",
    "100::1",
    "2001::1",
    "2001:db8::1",
    "2002:7f00:1::",
    "3fff::1",
    "fc00::1",
    "fd00::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "[::1]",
    "not-an-address",
  ])("refuses %s", (address) => {
    expect(isSpecialAddress(address)).toBe(true);
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
  ])("allows %s", (address) => {
    expect(isSpecialAddress(address)).toBe(false);
  });
});

let server: Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    if (req.url === "/gzip") {
      res.writeHead(200, { "Content-Encoding": "gzip" }).end(gzipSync(Buffer.alloc(1 << 20)));
    } else if (req.url === "/big") {
      res.writeHead(200).end(Buffer.alloc(64 * 1024));
    } else {
      res
        .writeHead(200, { "Content-Type": "text/plain" })
        .end(String(req.headers["accept-encoding"]));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Why a fetch failed: undici's `cause`, where the connector's error is. */
async function failure(url: string, dispatcher: unknown): Promise<string> {
  try {
    const res = await fetch(url, { dispatcher } as RequestInit);
    await res.arrayBuffer();
    return `answered ${res.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `${cause?.code ?? ""} ${cause?.message ?? String(error)}`;
  }
}

describe("createOutboundAgent", () => {
  it("checks the address it connects to: a name rebinding from public to loopback gets the public one, then nothing", async () => {
    // A test resolver rebinding the name: public on the first lookup, loopback after.
    // Only the lookup is exercised for the public answer: this machine may send no
    // traffic beyond loopback, so nothing connects to it.
    let lookups = 0;
    const rebinding: Lookup = async () => [
      { address: lookups++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 },
    ];
    const resolve = publicOnlyLookup(rebinding);
    const once = () =>
      new Promise<string>((done) =>
        resolve("rebind.test", {}, (error, address) =>
          done(error ? `${(error as { code?: string }).code} ${error.message}` : String(address)),
        ),
      );
    expect(await once()).toBe("93.184.216.34");
    expect(await once()).toMatch(/ERR_SPECIAL_ADDRESS.*127\.0\.0\.1/);
  });

  it("never connects to loopback when a name resolves there at connect time", async () => {
    const answers: string[] = [];
    const lookup: Lookup = async () => {
      answers.push("127.0.0.1");
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const agent = createOutboundAgent({
      connectMs: 300,
      responseMs: 1000,
      maxBytes: 1024,
      allowPrivate: false,
      lookup,
    });
    const before = seen.length;
    // The lookup happens when the agent connects (one per connection), not before.
    expect(await failure(`http://rebind.test:${port}/second`, agent)).toMatch(
      /ERR_SPECIAL_ADDRESS.*127\.0\.0\.1/,
    );
    expect(answers.length).toBe(1);
    expect(seen.length).toBe(before);
    // A loopback address literal is refused too, without a lookup.
    expect(await failure(`http://127.0.0.1:${port}/literal`, agent)).toMatch(/ERR_SPECIAL_ADDRESS/);
    expect(await failure(`http://[::ffff:127.0.0.1]:${port}/mapped`, agent)).toMatch(
      /ERR_SPECIAL_ADDRESS/,
    );
    expect(answers.length).toBe(1);
    expect(seen.length).toBe(before);
  });

  it("keeps only the public addresses of a name that has both", async () => {
    const lookup: Lookup = async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "10.0.0.1", family: 4 },
    ];
    const agent = createOutboundAgent({
      connectMs: 300,
      responseMs: 1000,
      maxBytes: 1024,
      allowPrivate: false,
      lookup,
    });
    const before = seen.length;
    expect(await failure(`http://both.test:${port}/`, agent)).toMatch(/ERR_SPECIAL_ADDRESS/);
    expect(seen.length).toBe(before);
  });

  it("asks for identity, refuses encoded bodies and cuts long ones (ALLOW_PRIVATE_ADDRESS)", async () => {
    const agent = createOutboundAgent({
      connectMs: 1000,
      responseMs: 1000,
      maxBytes: 1024,
      allowPrivate: true,
    });
    const ok = await fetch(`http://127.0.0.1:${port}/echo`, { dispatcher: agent } as RequestInit);
    expect(await ok.text()).toBe("identity");
    expect(await failure(`http://127.0.0.1:${port}/gzip`, agent)).toMatch(/gzip-encoded/);
    expect(await failure(`http://127.0.0.1:${port}/big`, agent)).toMatch(/1024 bytes/);
  });
});
