import { describe, expect, it } from "vitest";
import { parseHubRequest, selfLink } from "./request.ts";

const FEED = "https://news.example.vn/atom.xml";
const rules = {
  canonicalTopic: (url: string) => (url.toLowerCase() === FEED ? FEED : null),
  leaseDefaultS: 864_000,
  leaseMaxS: 2_592_000,
};
const form = (fields: Record<string, string>) =>
  new URLSearchParams({
    "hub.mode": "subscribe",
    "hub.topic": FEED,
    "hub.callback": "https://portal.example/cb?id=7",
    ...fields,
  });

describe("parseHubRequest", () => {
  it("grants the default lease, cuts a long one to the maximum, and keeps a secret", () => {
    const plain = parseHubRequest(form({}), rules);
    expect(plain.ok && plain.request.leaseSeconds).toBe(864_000);
    const long = parseHubRequest(form({ "hub.lease_seconds": "99999999" }), rules);
    expect(long.ok && long.request.leaseSeconds).toBe(2_592_000);
    const signed = parseHubRequest(form({ "hub.secret": "s".repeat(199) }), rules);
    expect(signed.ok && signed.request.secret).toBe("s".repeat(199));
  });

  it("stores the topic under its canonical URL", () => {
    const out = parseHubRequest(form({ "hub.topic": FEED.toUpperCase() }), rules);
    expect(out.ok && out.request.topic).toBe(FEED);
  });

  it.each([
    [{ "hub.mode": "publish" }, "hub.mode"],
    [{ "hub.topic": "https://news.example.vn/" }, "hub.topic"],
    [{ "hub.callback": "javascript:alert(1)" }, "hub.callback"],
    [{ "hub.callback": "https://u:p@portal.example/cb" }, "hub.callback"],
    [{ "hub.callback": "https://portal.example/cb#x" }, "hub.callback"],
    [{ "hub.lease_seconds": "1.5" }, "hub.lease_seconds"],
    [{ "hub.lease_seconds": "0" }, "hub.lease_seconds"],
    // 100 two-byte letters: 200 bytes, not less than 200.
    [{ "hub.secret": "ơ".repeat(100) }, "hub.secret"],
  ])("refuses %o, naming %s", (fields, field) => {
    const out = parseHubRequest(form(fields), rules);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toContain(field);
  });

  it("ignores lease and secret on unsubscribe", () => {
    const out = parseHubRequest(
      form({ "hub.mode": "unsubscribe", "hub.lease_seconds": "x", "hub.secret": "s" }),
      rules,
    );
    expect(out.ok && out.request).toMatchObject({ mode: "unsubscribe", secret: null });
  });
});

describe("selfLink", () => {
  it("finds rel=self among the feed's links", () => {
    expect(
      selfLink('<https://a/websub>; rel="hub", <https://a/tags/C%E1%BB%ADa/atom.xml>; rel="self"'),
    ).toBe("https://a/tags/C%E1%BB%ADa/atom.xml");
    expect(selfLink('<https://a/websub>; rel="hub"')).toBeNull();
  });
});
