import { describe, expect, it } from "vitest";
import { backends } from "../../tests/storage/backends.ts";
import { matchesValidators } from "./conditional.ts";
import { createValidatorHistory, loadValidatorHistory } from "./validator-history.ts";

const at = (iso: string) => new Date(iso);
const ARTICLE = at("2021-03-18T08:00:00Z");
const LOADED = at("2026-05-01T10:00:00.400Z");

/** What a client revalidating with If-Modified-Since alone is told. */
const notModifiedSince = (lastModified: Date, since: Date) =>
  matchesValidators({ etag: '"x"', lastModified }, undefined, since.toUTCString());

describe("the validator history", () => {
  it("dates a resource never served before by the newest date it carries", () => {
    const history = createValidatorHistory();
    expect(history.lastModified("feed:rss", '"a"', ARTICLE, LOADED)).toEqual(ARTICLE);
    // Whole seconds, as HTTP dates have.
    const late = at("2021-03-18T08:00:00.900Z");
    expect(history.lastModified("page", '"p"', late, LOADED)).toEqual(ARTICLE);
    // Dates before 1970 are dates too (an old town's digitised archive).
    const old = at("1944-05-01T00:00:00Z");
    expect(history.lastModified("article:old", '"o"', old, LOADED)).toEqual(old);
    // A document carrying no date is as old as the content that first showed it.
    expect(history.lastModified("robots", '"r"', new Date(0), LOADED)).toEqual(
      at("2026-05-01T10:00:00Z"),
    );
  });

  it("keeps the date of a body it has seen, and moves it for any other body", () => {
    const history = createValidatorHistory();
    const first = history.lastModified("article:x", '"a"', ARTICLE, LOADED);
    expect(history.lastModified("article:x", '"a"', ARTICLE, at("2026-06-01T00:00:00Z"))).toEqual(
      first,
    );
    // A body edit without `updated`: the article's date did not move, the body did.
    const edited = history.lastModified("article:x", '"b"', ARTICLE, at("2026-06-01T00:00:00Z"));
    expect(edited).toEqual(at("2026-06-01T00:00:00Z"));
    expect(notModifiedSince(edited, first)).toBe(false);
    // Back to the first text: a change again, dated later still.
    const reverted = history.lastModified("article:x", '"a"', ARTICLE, at("2026-06-02T00:00:00Z"));
    expect(reverted).toEqual(at("2026-06-02T00:00:00Z"));
    // Other keys are their own.
    expect(history.lastModified("article:y", '"a"', ARTICLE, LOADED)).toEqual(ARTICLE);
  });

  it("never goes back: removing the newest article moves the date forward", () => {
    const history = createValidatorHistory();
    const newest = at("2026-04-30T00:00:00Z");
    const before = history.lastModified("feed:atom", '"with"', newest, LOADED);
    expect(before).toEqual(newest);
    const older = at("2021-03-18T08:00:00Z");
    const after = history.lastModified("feed:atom", '"without"', older, LOADED);
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    expect(notModifiedSince(after, before)).toBe(false);
  });

  it("moves by a whole second for changes within one second", () => {
    const history = createValidatorHistory();
    const moment = at("2026-05-01T10:00:00.100Z");
    const dates = ['"1"', '"2"', '"3"'].map((etag) =>
      history.lastModified("feed:json", etag, new Date(0), moment),
    );
    expect(dates.map((d) => d.toISOString())).toEqual([
      "2026-05-01T10:00:00.000Z",
      "2026-05-01T10:00:01.000Z",
      "2026-05-01T10:00:02.000Z",
    ]);
    // Each change is seen by a client holding the one before.
    expect(notModifiedSince(dates[1] as Date, dates[0] as Date)).toBe(false);
    expect(notModifiedSince(dates[2] as Date, dates[1] as Date)).toBe(false);
  });
});

describe("the validator history in the store", async () => {
  for (const backend of await backends()) {
    describe.skipIf(!backend.available)(backend.name, () => {
      it("survives a restart: the same body keeps its date, a changed one moves forward", async () => {
        const target = await backend.target();
        const first = await target.open();
        const history = await loadValidatorHistory(first.kv);
        const newest = at("2026-04-30T00:00:00Z");
        const served = history.lastModified("feed:rss", '"with-newest"', newest, LOADED);
        history.lastModified("index:1", '"index"', newest, LOADED);
        await history.flush();
        await first.close();

        // Restarted with the newest article removed while the server was down.
        const second = await target.open();
        const restarted = await loadValidatorHistory(second.kv);
        const startedAt = at("2026-05-02T09:00:00Z");
        const older = at("2021-03-18T08:00:00Z");
        const feed = restarted.lastModified("feed:rss", '"without"', older, startedAt);
        expect(feed).toEqual(startedAt);
        expect(notModifiedSince(feed, served)).toBe(false);
        expect(restarted.lastModified("index:1", '"index"', newest, startedAt)).toEqual(newest);
        await restarted.flush();
        await second.close();

        // And the moved date is what the next start reads.
        const third = await target.open();
        const again = await loadValidatorHistory(third.kv);
        expect(
          again.lastModified("feed:rss", '"without"', older, at("2027-01-01T00:00:00Z")),
        ).toEqual(startedAt);
        await third.close();
      });

      it("ignores records it cannot read", async () => {
        const storage = await (await backend.target()).open();
        await storage.kv.set(["loa", "validators", "feed:rss"], { etag: 42 });
        const history = await loadValidatorHistory(storage.kv);
        expect(history.lastModified("feed:rss", '"a"', ARTICLE, LOADED)).toEqual(ARTICLE);
        await history.flush();
        await storage.close();
      });
    });
  }
});
