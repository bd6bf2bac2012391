import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  articleText,
  makeContentDir,
  SITE_YML,
  type TempContent,
} from "../../tests/fixtures/content/make-dir.ts";
import { articleHash } from "./article-hash.ts";
import { loadContent } from "./load.ts";
import { SiteError } from "./site.ts";

let content: TempContent | undefined;
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
});

const lines = ["title: Số điện thoại khẩn cấp", "published: 2021-03-18T15:00:00+07:00"];

describe("pinned: in front matter", () => {
  it("marks the article pinned, and refuses anything but true or false", async () => {
    content = await makeContentDir({
      "articles/khan-cap.md": articleText([...lines, "pinned: true"]),
      "articles/thuong.md": articleText(lines),
      "articles/sai.md": articleText([...lines, "pinned: có"]),
    });
    const s = await loadContent(content.dir);
    expect(s.articles.find((a) => a.slug === "khan-cap")?.pinned).toBe(true);
    expect(s.articles.find((a) => a.slug === "thuong")?.pinned).toBeUndefined();
    expect(s.problems).toEqual([
      { file: "articles/sai.md", field: "pinned", reason: "must be true or false" },
    ]);
  });

  it("does not change the article's hash (pinning is not an edit of the Note)", () => {
    const plain = Buffer.from(articleText(lines));
    const pinned = Buffer.from(articleText([lines[0] ?? "", "pinned: true", lines[1] ?? ""]));
    const unpinned = Buffer.from(articleText([...lines, "pinned: false # tạm"]));
    const sha = createHash("sha256").update(plain).digest("hex");
    expect(articleHash(plain, false)).toBe(sha);
    expect(articleHash(pinned, true)).toBe(sha);
    expect(articleHash(unpinned, true)).toBe(sha);
  });

  it("still changes the hash for an edit of a pinned article, and for `pinned:` in the body", () => {
    const pinned = Buffer.from(articleText([...lines, "pinned: true"], "Gọi 113.\n"));
    const edited = Buffer.from(articleText([...lines, "pinned: true"], "Gọi 114.\n"));
    expect(articleHash(edited, true)).not.toBe(articleHash(pinned, true));
    const body = Buffer.from(articleText([...lines, "pinned: true"], "pinned: là ghim\n"));
    const bodyOnly = Buffer.from(articleText(lines, "\n"));
    expect(articleHash(body, true)).not.toBe(articleHash(bodyOnly, false));
  });
});

describe("site.yml account settings", () => {
  it("reads actor.aliases and actor.featured_tags", async () => {
    content = await makeContentDir({
      "site.yml": `${SITE_YML.replace(
        "actor:\n",
        [
          "actor:",
          "  aliases: [https://mastodon.example/users/cualo]",
          "  featured_tags: ['#Du lịch', Cửa Lò]",
          "",
        ].join("\n"),
      )}`,
    });
    const s = await loadContent(content.dir);
    expect(s.site.actor.aliases).toEqual(["https://mastodon.example/users/cualo"]);
    expect(s.site.actor.featuredTags).toEqual(["Du lịch", "Cửa Lò"]);
  });

  it("defaults to no aliases and no featured tag list", async () => {
    content = await makeContentDir();
    const s = await loadContent(content.dir);
    expect(s.site.actor.aliases).toEqual([]);
    expect(s.site.actor.featuredTags).toBeUndefined();
  });

  it("refuses a handle as an alias, saying which URL to write", async () => {
    content = await makeContentDir({
      "site.yml": SITE_YML.replace(
        "actor:\n",
        "actor:\n  aliases: ['@cualo@mastodon.example', 'not a url']\n",
      ),
    });
    const error = await loadContent(content.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SiteError);
    expect((error as SiteError).problems).toEqual([
      'actor.aliases[0]: "@cualo@mastodon.example" is a handle; write the account\'s actor URL, e.g. https://mastodon.example/users/cualo',
      "actor.aliases[1]: must be an account's actor URL (https://…)",
    ]);
  });
});
