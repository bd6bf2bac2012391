import { describe, expect, it } from "vitest";
import { blockHost } from "../../storage/interactions.ts";
import { checkActor, checkDomain } from "./block-input.ts";

const origin = new URL("https://cualo.example.vn");

describe("checkDomain", () => {
  it.each([
    ["social.example", "social.example"],
    ["  Social.Example  ", "social.example"],
    ["social.example:8443", "social.example:8443"],
    ["social.example:443", "social.example"],
    ["127.0.0.1:4000", "127.0.0.1:4000"],
  ])("takes %j as %j", (typed, host) => {
    expect(checkDomain(typed, origin)).toEqual({ ok: true, value: host });
  });

  it("names an IDN server as an actor's URL on it names its host", () => {
    const actorHost = blockHost("https://Phường.Xã.vn/users/an");
    expect(actorHost).toMatch(/^xn--/);
    expect(checkDomain("phường.xã.vn", origin)).toEqual({ ok: true, value: actorHost });
  });

  it.each([
    "",
    "https://social.example",
    "social.example/users/an",
    "an@social.example",
    "social example",
    "social.example?x",
    "social.example:99999",
    ".",
    undefined,
  ])("refuses %j with a reason", (typed) => {
    const checked = checkDomain(typed, origin);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(/^Tên máy chủ không hợp lệ/);
  });

  it("refuses the town's own server", () => {
    const checked = checkDomain("CUALO.example.vn", origin);
    expect(checked).toEqual({ ok: false, reason: expect.stringMatching(/chính máy chủ/) });
  });
});

describe("checkActor", () => {
  it("keeps an actor's URL as its server spells it", () => {
    const id = "https://Social.example/users/An";
    expect(checkActor(` ${id} `, origin)).toEqual({ ok: true, value: id });
  });

  it.each(["", "social.example/users/an", "javascript:alert(1)", "ftp://x.example/u", "https://"])(
    "refuses %j",
    (typed) => {
      expect(checkActor(typed, origin).ok).toBe(false);
    },
  );

  it("refuses the town's own actor", () => {
    expect(checkActor("https://cualo.example.vn/users/cualo", origin).ok).toBe(false);
  });
});
