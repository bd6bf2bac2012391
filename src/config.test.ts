import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseDotEnv } from "./config.ts";

describe("loadConfig", () => {
  it("gives the contract's defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe("0.0.0.0");
    expect(config.origin.href).toBe("http://localhost:3000/");
    expect(config.contentDir).toMatch(/\/content$/);
    expect(config.keysDir).toMatch(/\/keys$/);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.allowPrivateAddress).toBe(false);
    expect(config.feedLimit).toBe(50);
  });

  it("builds the origin from PORT unless ORIGIN is set", () => {
    expect(loadConfig({ PORT: "8080" }).origin.href).toBe("http://localhost:8080/");
    expect(loadConfig({ PORT: "8080", ORIGIN: "https://tin.cualo.vn" }).origin.href).toBe(
      "https://tin.cualo.vn/",
    );
  });

  it("refuses bad settings with a message naming the variable", () => {
    const cases: Record<string, string>[] = [
      { PORT: "http" },
      { PORT: "70000" },
      { ORIGIN: "tin.cualo.vn" },
      { ORIGIN: "https://tin.cualo.vn/news" },
      { ORIGIN: "ftp://tin.cualo.vn" },
      { DATABASE_URL: "mysql://x" },
      { ALLOW_PRIVATE_ADDRESS: "maybe" },
      { FEED_LIMIT: "0" },
      { LOG_LEVEL: "loud" },
      { METRICS_PORT: "0" },
      { METRICS_PORT: "65536" },
      { METRICS_PORT: "9100.5" },
      { METRICS_PORT: "metrics" },
      { METRICS_PORT: "3000" },
      { SMTP_URL: "mail.cualo.vn" },
      { SMTP_URL: "http://mail.cualo.vn" },
      { SMTP_URL: "smtp://" },
      { NEWSROOM_MAIL_FROM: "Loa <loa@cualo.vn>" },
      { NEWSROOM_MAIL_FROM: "loa@cualo.vn\r\nBcc: x@y.z" },
      { NEWSROOM_MAIL_FROM: "loa" },
    ];
    for (const env of cases) {
      const name = Object.keys(env)[0] ?? "";
      expect(() => loadConfig(env), name).toThrow(ConfigError);
      expect(() => loadConfig(env), name).toThrow(name);
    }
  });

  it("sends no mail unless SMTP_URL is set, from loa@ the origin's host unless told", () => {
    const off = loadConfig({ ORIGIN: "https://tin.cualo.vn" });
    expect(off.smtpUrl).toBeUndefined();
    expect(off.mailFrom).toBe("loa@tin.cualo.vn");
    const on = loadConfig({
      SMTP_URL: "smtps://u:p@mail.cualo.vn:465",
      NEWSROOM_MAIL_FROM: "toasoan@cualo.vn",
    });
    expect(on.smtpUrl?.href).toBe("smtps://u:p@mail.cualo.vn:465");
    expect(on.mailFrom).toBe("toasoan@cualo.vn");
    // A password in SMTP_URL never reaches the error message.
    for (const SMTP_URL of ["ftp://u:secret@mail.cualo.vn", "u:secret@mail.cualo.vn"]) {
      const refused = (() => {
        try {
          loadConfig({ SMTP_URL });
        } catch (error) {
          return error;
        }
      })();
      expect(refused).toBeInstanceOf(ConfigError);
      expect(String(refused)).toContain("SMTP_URL");
      expect(String(refused)).not.toContain("secret");
    }
  });

  it("serves no metrics unless METRICS_PORT is set, and then on loopback unless told", () => {
    const off = loadConfig({});
    expect(off.metricsPort).toBeUndefined();
    expect(off.metricsHost).toBe("127.0.0.1");
    expect(loadConfig({ METRICS_PORT: "" }).metricsPort).toBeUndefined();
    const on = loadConfig({ METRICS_PORT: "9464" });
    expect(on.metricsPort).toBe(9464);
    expect(on.metricsHost).toBe("127.0.0.1");
    const elsewhere = loadConfig({ METRICS_PORT: "65535", METRICS_HOST: "10.0.0.5" });
    expect(elsewhere.metricsPort).toBe(65535);
    expect(elsewhere.metricsHost).toBe("10.0.0.5");
    expect(loadConfig({ PORT: "3001", METRICS_PORT: "3000" }).metricsPort).toBe(3000);
  });

  it("reads .env syntax", () => {
    expect(parseDotEnv("# c\nPORT=4000\nexport ORIGIN='https://a.vn'\nBAD LINE\n")).toEqual({
      PORT: "4000",
      ORIGIN: "https://a.vn",
    });
  });
});
