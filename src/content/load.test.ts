import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  articleText,
  makeContentDir,
  type TempContent,
} from "../../tests/fixtures/content/make-dir.ts";
import { loadContent } from "./load.ts";
import type { ContentSnapshot } from "./types.ts";

let content: TempContent | undefined;
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
});

const good = (title: string, published = "2021-03-18T15:00:00+07:00") =>
  articleText([`title: ${title}`, `published: ${published}`]);

function problemsOf(snapshot: ContentSnapshot, file: string) {
  return snapshot.problems.filter((p) => p.file === file);
}

describe("loadContent", () => {
  it("loads the Cửa Lò seed article with its exact title and byline", async () => {
    const s = await loadContent("content");
    expect(s.problems).toEqual([]);
    expect(s.site.title).toBe("Cổng thông tin Thị xã Cửa Lò");
    expect(s.site.actor.username).toBe("cualo");
    const a = s.articles.find((x) => x.slug === "cua-lo-cchc-2021-03-18");
    expect(a?.title).toBe(
      "Cửa Lò tham dự hội nghị trực tuyến toàn quốc tổng kết 10 năm chương trình tổng thể cải cách hành chính",
    );
    expect(a?.authors).toEqual(["Dương Tân – Duy Quý"]);
    expect(a?.published.toISOString()).toBe("2021-03-18T08:00:00.000Z");
    expect(a?.tags).toEqual(["Cải cách hành chính", "Cửa Lò"]);
    expect(a?.language).toBe("vi");
    expect(a?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports each broken file with its field and still returns the good ones", async () => {
    content = await makeContentDir({
      "articles/a-good.md": good("Bài tốt"),
      "articles/bad-yaml.md": articleText([
        "title: [không đóng",
        "published: 2021-03-18T15:00:00+07:00",
      ]),
      "articles/no-title.md": articleText(["published: 2021-03-18T15:00:00+07:00"]),
      "articles/no-offset.md": good("Không múi giờ", "2021-03-18T15:00:00"),
      "articles/wrong-tags.md": articleText([
        "title: Thẻ sai",
        "published: 2021-03-18T15:00:00+07:00",
        "tags: 5",
      ]),
      "articles/z-dup.md": articleText([
        "title: Trùng",
        "published: 2021-03-18T15:00:00+07:00",
        "slug: a-good",
      ]),
      "articles/latin1.md": Buffer.concat([
        Buffer.from("---\ntitle: C"),
        Buffer.from([0xe0, 0x20]),
        Buffer.from("\npublished: 2021-03-18T15:00:00+07:00\n---\nx\n"),
      ]),
      "articles/huge.md": good("Quá lớn") + "x".repeat(2000),
    });
    const outside = join(content.dir, "..", "secret.md");
    await writeFile(outside, good("Bí mật"));
    await symlink(outside, join(content.dir, "articles", "link-out.md"));

    const s = await loadContent(content.dir, { maxBytes: 1000 });
    expect(s.articles.map((a) => a.slug)).toEqual(["a-good"]);
    expect(problemsOf(s, "articles/bad-yaml.md")[0]?.reason).toMatch(/invalid YAML at line \d/);
    expect(problemsOf(s, "articles/no-title.md")).toEqual([
      { file: "articles/no-title.md", field: "title", reason: "is required" },
    ]);
    expect(problemsOf(s, "articles/no-offset.md")[0]).toMatchObject({
      field: "published",
      reason: expect.stringMatching(/no time zone offset/),
    });
    expect(problemsOf(s, "articles/wrong-tags.md")[0]?.field).toBe("tags");
    expect(problemsOf(s, "articles/z-dup.md")[0]).toMatchObject({
      field: "slug",
      reason: expect.stringContaining("articles/a-good.md"),
    });
    expect(problemsOf(s, "articles/latin1.md")[0]?.reason).toMatch(/UTF-8/);
    expect(problemsOf(s, "articles/huge.md")[0]?.reason).toMatch(/over the limit/);
    expect(problemsOf(s, "articles/link-out.md")[0]?.reason).toMatch(
      /outside the content directory/,
    );
    expect([...s.brokenFiles].sort()).toEqual(
      [
        "articles/bad-yaml.md",
        "articles/huge.md",
        "articles/latin1.md",
        "articles/link-out.md",
        "articles/no-offset.md",
        "articles/no-title.md",
        "articles/wrong-tags.md",
        "articles/z-dup.md",
      ].sort(),
    );
  });

  it("reads optional fields: authors, tags, language, updated, summary, image", async () => {
    content = await makeContentDir({
      "images/bien.jpg": "not really a jpeg",
      "articles/day-du.md": articleText([
        "title: Bài đầy đủ",
        "published: 2021-03-18T15:00:00+07:00",
        "updated: 2021-03-19T09:30:00+07:00",
        "author: [Dương Tân, Duy Quý, Dương Tân]",
        "summary: '  Tóm tắt  '",
        "tags: [' Cửa Lò ', '', cửa lò, Biển, 2021]",
        "language: en-us",
        "image: { src: images/bien.jpg, alt: Bãi biển }",
        "slug: bai-day-du",
        "mood: happy",
      ]),
      "articles/anh-ngoai.md": articleText([
        "title: Ảnh ngoài",
        "published: 2021-03-17T15:00:00Z",
        "image: https://example.vn/anh/bien.png?w=800",
      ]),
    });
    const s = await loadContent(content.dir);
    expect(s.problems).toEqual([]);
    const [full, remote] = s.articles;
    expect(full).toMatchObject({
      slug: "bai-day-du",
      file: "articles/day-du.md",
      authors: ["Dương Tân", "Duy Quý"],
      summary: "Tóm tắt",
      tags: ["Cửa Lò", "Biển", "2021"],
      language: "en-US",
      image: {
        url: "/media/images/bien.jpg",
        alt: "Bãi biển",
        mediaType: "image/jpeg",
        // The file's size in bytes ("not really a jpeg"), for feed enclosures.
        length: 17,
      },
    });
    expect(full?.updated?.toISOString()).toBe("2021-03-19T02:30:00.000Z");
    expect(remote?.image).toEqual({
      url: "https://example.vn/anh/bien.png?w=800",
      alt: "Ảnh ngoài",
      mediaType: "image/png",
    });
  });

  it("refuses a missing image, an updated before published and a bad file-name slug", async () => {
    content = await makeContentDir({
      "articles/anh.md": articleText([
        "title: A",
        "published: 2021-03-18T15:00:00Z",
        "image: images/khong-co.jpg",
      ]),
      "articles/sua.md": articleText([
        "title: B",
        "published: 2021-03-18T15:00:00Z",
        "updated: 2021-03-17T15:00:00Z",
      ]),
      "articles/Bài Viết.md": good("C"),
    });
    const s = await loadContent(content.dir);
    expect(s.articles).toEqual([]);
    expect(problemsOf(s, "articles/anh.md")[0]?.field).toBe("image");
    expect(problemsOf(s, "articles/sua.md")[0]).toMatchObject({
      field: "updated",
      reason: "is before published",
    });
    expect(problemsOf(s, "articles/Bài Viết.md")[0]?.reason).toContain("bai-viet");
  });

  it("keeps drafts out of the articles, and checks the draft field", async () => {
    content = await makeContentDir({
      "articles/bai.md": good("Đã đăng"),
      "articles/nhap.md": articleText([
        "title: Bản nháp",
        "published: 2021-03-19T15:00:00+07:00",
        "draft: true",
      ]),
      "articles/khong-nhap.md": articleText([
        "title: Không phải nháp",
        "published: 2021-03-20T15:00:00+07:00",
        "draft: false",
      ]),
      "articles/sai.md": articleText([
        "title: Sai",
        "published: 2021-03-20T15:00:00+07:00",
        "draft: có",
      ]),
    });
    const s = await loadContent(content.dir);
    expect(s.articles.map((a) => a.slug).sort()).toEqual(["bai", "khong-nhap"]);
    expect(s.drafts).toEqual(["articles/nhap.md"]);
    expect(problemsOf(s, "articles/sai.md")).toEqual([
      { file: "articles/sai.md", field: "draft", reason: "must be true or false" },
    ]);
  });

  it("escapes raw HTML in the body", async () => {
    content = await makeContentDir({
      "articles/xss.md": articleText(
        ["title: '<b>Tiêu đề</b>'", "published: 2021-03-18T15:00:00+07:00"],
        "Đoạn một.\n\n<script>alert(1)</script>\n",
      ),
    });
    const s = await loadContent(content.dir);
    expect(s.articles[0]?.html).not.toContain("<script");
    expect(s.articles[0]?.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("normalizes NFD text to NFC and orders articles newest first", async () => {
    content = await makeContentDir({
      "articles/cu.md": good("Cũ", "2020-01-01T00:00:00+07:00"),
      "articles/moi.md": good("Cửa Lò mới".normalize("NFD"), "2022-01-01T00:00:00+07:00"),
    });
    const s = await loadContent(content.dir);
    expect(s.articles.map((a) => a.slug)).toEqual(["moi", "cu"]);
    expect(s.articles[0]?.title).toBe("Cửa Lò mới".normalize("NFC"));
  });

  it("throws a clear error when site.yml is missing or invalid", async () => {
    content = await makeContentDir({
      "site.yml": "title: ''\nlanguage: vi\ntimezone: Mars/Base\n",
    });
    await expect(loadContent(content.dir)).rejects.toThrow(/title: is required[\s\S]*timezone/);
    await mkdir(join(content.dir, "..", "empty"));
    await expect(loadContent(join(content.dir, "..", "empty"))).rejects.toThrow(
      /site\.yml: not found/,
    );
  });
});
