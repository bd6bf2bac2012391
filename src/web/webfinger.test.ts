import { describe, expect, it } from "vitest";
import { finishWebFinger, webFingerError } from "./webfinger.ts";

const account = {
  username: "cualo",
  host: "cualo.example",
  profilePage: "https://cualo.example/",
};

const jrd = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "Content-Type": "application/jrd+json" } });

describe("finishWebFinger", () => {
  it("gives the canonical subject and lists the profile page among the aliases", async () => {
    const res = await finishWebFinger(
      jrd({
        subject: "acct:CuaLo@cualo.example",
        aliases: ["https://cualo.example/users/cualo"],
        links: [],
      }),
      account,
    );
    expect(res.headers.get("Content-Type")).toBe("application/jrd+json");
    expect(await res.json()).toEqual({
      subject: "acct:cualo@cualo.example",
      aliases: ["https://cualo.example/users/cualo", "https://cualo.example/"],
      links: [],
    });
  });

  it("keeps a URL subject (a lookup by actor or page URL)", async () => {
    const res = await finishWebFinger(
      jrd({ subject: "https://cualo.example/", aliases: ["acct:cualo@cualo.example"] }),
      account,
    );
    expect(((await res.json()) as { subject: string }).subject).toBe("https://cualo.example/");
  });

  it("turns a plain-text error into JSON with the same status", async () => {
    const res = await finishWebFinger(
      new Response("Missing resource parameter.", { status: 400 }),
      account,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: "Missing resource parameter." });
    expect((await webFingerError(404, "No such account").json()) as unknown).toEqual({
      error: "No such account",
    });
  });
});
