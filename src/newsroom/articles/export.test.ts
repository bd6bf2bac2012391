import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { articleText, makeContentDir } from "../../../tests/fixtures/content/make-dir.ts";
import { loadContent } from "../../content/load.ts";
import { openContent } from "../../content/source.ts";
import type { Article } from "../../content/types.ts";
import { openStorage } from "../../storage/open.ts";
import { exportArticles } from "./export.ts";
import { newsroomOrigin } from "./origin.ts";
import { createArticleService } from "./service.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "loa-export-"));
  dirs.push(d);
  return d;
};

/** What a reader sees of an article, wherever it comes from. */
const seen = (a: Article) => ({
  slug: a.slug,
  title: a.title,
  published: a.published.toISOString(),
  authors: a.authors,
  tags: a.tags,
  summary: a.summary,
  language: a.language,
  html: a.html,
  pinned: a.pinned ?? false,
  image: a.image ? { alt: a.image.alt, mediaType: a.image.mediaType } : null,
});

it("exports both origins so that the files alone serve the same articles", async () => {
  const content = await makeContentDir({
    "articles/tu-tep.md": articleText([
      "title: Bài từ tệp",
      "published: 2021-03-18T15:00:00+07:00",
      "image: { url: anh/bien.png, alt: Biển Cửa Lò }",
    ]),
    "anh/bien.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  });
  const storage = await openStorage({ dataDir: temp(), databaseUrl: undefined });
  const origin = new URL("https://cualo.example");
  const source = await openContent(content.dir, {
    watch: false,
    origin: newsroomOrigin({ store: storage.store, pictures: async () => null, origin }),
  });
  try {
    const service = createArticleService({
      store: storage.store,
      clock: () => new Date(),
      content: source,
      pictures: async () => null,
    });
    const editor = { username: "minh", roles: ["editor" as const] };
    const created = await service.create(editor, {
      title: 'Lịch tiếp dân: "thứ Hai" — tháng 3',
      summary: "Tóm tắt: có dấu hai chấm",
      body: [
        "# Giờ tiếp dân",
        "",
        "- Sáng 7:30\n- Chiều 13:30",
        "",
        '<table><tr><th scope="col">Ngày</th><td>Thứ Hai</td></tr></table>',
        "",
        '<figure><img src="/pictures/0123456789abcdef/full.jpg" alt="Trụ sở"><figcaption>Trụ sở <b>UBND</b></figcaption></figure>',
        "",
        '<p onclick="alert(1)">Xem <a href="javascript:alert(1)">đây</a><script>alert(1)</script></p>',
        "",
        "[Dịch vụ công](https://dichvucong.gov.vn)",
        "",
      ].join("\n"),
      tags: "Hành chính, Tiếp dân",
      author: "Văn phòng, Phòng Văn hóa",
      language: "vi",
      published: "2026-03-02T09:00",
      slug: "lich-tiep-dan",
      pinned: "on",
    });
    if (!created.ok) throw new Error(JSON.stringify(created.failure));
    const published = await service.publish(editor, created.article.article.id, 1);
    expect(published.ok).toBe(true);
    await source.reload();
    const served = source.current().articles.map(seen);
    expect(served.map((a) => a.slug).sort()).toEqual(["lich-tiep-dan", "tu-tep"]);

    const out = join(temp(), "content");
    const result = await exportArticles({
      contentDir: content.dir,
      store: storage.store,
      outDir: out,
    });
    expect(result).toEqual({ files: 1, newsroom: 1, pictures: 1 });
    const reloaded = await loadContent(out);
    expect(reloaded.problems).toEqual([]);
    expect(reloaded.articles.map(seen)).toEqual(served);
    // The body's HTML is HTML after the export, sanitized as before, not text.
    const html = reloaded.articles.find((a) => a.slug === "lich-tiep-dan")?.html ?? "";
    expect(html).toContain('<th scope="col">Ngày</th>');
    expect(html).toContain("<figcaption>Trụ sở <b>UBND</b></figcaption>");
    expect(html).toContain('src="/pictures/0123456789abcdef/full.jpg"');
    expect(html).not.toMatch(/&lt;|onclick|javascript:|<script/);
    expect(await readFile(join(out, "articles/tu-tep.md"), "utf8")).toBe(
      await readFile(join(content.dir, "articles/tu-tep.md"), "utf8"),
    );
  } finally {
    await source.close();
    await storage.close();
    await content.cleanup();
  }
});
