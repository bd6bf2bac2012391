import { describe, expect, it } from "vitest";
import { cookieJar, SESSION_LIFETIME_MS } from "./cookies.ts";

/** A `Set-Cookie` value as its name=value and its attributes (lower-cased names). */
function parse(setCookie: string): { pair: string; attributes: Map<string, string> } {
  const [pair = "", ...rest] = setCookie.split(";").map((p) => p.trim());
  const attributes = new Map(
    rest.map((a) => {
      const [name = "", value = ""] = a.split("=");
      return [name.toLowerCase(), value] as const;
    }),
  );
  return { pair, attributes };
}

describe("the newsroom's cookies", () => {
  it("over https: Secure, __Host- named (so Path=/ and no Domain), HttpOnly, SameSite=Lax", () => {
    const jar = cookieJar(new URL("https://cualo.example.vn"));
    const { pair, attributes } = parse(jar.session("tok"));
    expect(pair).toBe("__Host-loa_session=tok");
    expect(attributes.has("secure")).toBe(true);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
    expect(attributes.get("max-age")).toBe(String(SESSION_LIFETIME_MS / 1000));
    expect(attributes.has("domain")).toBe(false);
    const login = parse(jar.login("pre"));
    expect(login.pair).toBe("__Host-loa_login=pre");
    expect(login.attributes.has("secure")).toBe(true);
    expect(login.attributes.get("path")).toBe("/");
    expect(login.attributes.has("max-age")).toBe(false);
    const device = parse(jar.device("thu", "dev"));
    expect(device.pair).toBe("__Host-loa_device_thu=dev");
    expect(device.attributes.has("secure")).toBe(true);
    expect(device.attributes.get("path")).toBe("/");
    expect(device.attributes.has("domain")).toBe(false);
  });

  it("over http: the same flags without Secure (a browser would drop it) and no prefix", () => {
    const jar = cookieJar(new URL("http://localhost:3000"));
    const { pair, attributes } = parse(jar.session("tok"));
    expect(pair).toBe("loa_session=tok");
    expect(attributes.has("secure")).toBe(false);
    expect(attributes.has("httponly")).toBe(true);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.get("path")).toBe("/");
  });

  it("clearing a cookie names the same cookie and path, expired at once", () => {
    for (const origin of ["https://cualo.example.vn", "http://localhost:3000"]) {
      const jar = cookieJar(new URL(origin));
      const cleared = parse(jar.clearSession());
      expect(cleared.pair).toBe(`${jar.sessionName}=`);
      expect(cleared.attributes.get("max-age")).toBe("0");
      expect(cleared.attributes.get("path")).toBe("/");
      const login = parse(jar.clearLogin());
      expect(login.pair).toBe(`${jar.loginName}=`);
      expect(login.attributes.get("max-age")).toBe("0");
      expect(login.attributes.get("path")).toBe("/");
    }
  });
});
