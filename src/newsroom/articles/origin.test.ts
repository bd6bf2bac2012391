import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { at, create, fields as storeFields } from "../../../tests/storage/articles.suite.ts";
import { edit, publish } from "../../../tests/storage/published-marks.suite.ts";
import type { Site } from "../../content/types.ts";
import type { PictureImage } from "../../media/picture.ts";
import type { ArticleStore } from "../../storage/articles.ts";
import { openStorage, type Storage } from "../../storage/open.ts";
import { newsroomOrigin } from "./origin.ts";

const dirs: string[] = [];
/** No language of their own: the site's shows. */
const fields: typeof storeFields = (o) => storeFields({ language: "", ...o });
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const site = (language = "vi"): Site => ({
  title: "Cửa Lò",
  description: "",
  language,
  timezone: "Asia/Ho_Chi_Minh",
  actor: { username: "cualo", name: "Cửa Lò", summary: "" },
  links: [],
  replies: "moderated",
});

const picture = (src: string): PictureImage => ({
  src,
  srcset: `${src} 800w`,
  sizes: "100vw",
  width: 800,
  height: 600,
  mediaType: "image/webp",
  alt: "Biển",
});

let storage: Storage;
/** The ids each full read asked for (`all` for every published article). */
let reads: (readonly string[] | "all")[];
let store: Pick<
  ArticleStore,
  "listPublishedArticles" | "listPublishedMarks" | "articleChangeCounter"
>;
beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), "loa-origin-"));
  dirs.push(dir);
  storage = await openStorage({ dataDir: dir, databaseUrl: undefined });
  reads = [];
  store = {
    listPublishedMarks: () => storage.store.listPublishedMarks(),
    articleChangeCounter: () => storage.store.articleChangeCounter(),
    listPublishedArticles: (ids) => {
      reads.push(ids ?? "all");
      return storage.store.listPublishedArticles(ids);
    },
  };
});
afterEach(() => storage.close());

async function publishNew(id: string, slug: string, minutes: number) {
  await storage.store.applyArticleChange(create(id, fields({ slug, title: `Bài ${id}` })));
  await storage.store.applyArticleChange(publish(id, 1, minutes, at(minutes)));
}

it("serves each publish, edit and picture as readers should see it, reading only what changed", async () => {
  let src = "/media/p1/a.webp";
  const origin = newsroomOrigin({
    store,
    pictures: async (id) => (id === "p1" ? picture(src) : null),
    origin: new URL("https://cualo.example"),
  });
  for (const [i, id] of ["a", "b", "c", "d"].entries()) await publishNew(id, `bai-${id}`, i);
  const withPicture = fields({ slug: "bai-p", title: "Có ảnh", imageId: "p1" });
  await storage.store.applyArticleChange(create("p", withPicture));
  await storage.store.applyArticleChange(publish("p", 1, 9, at(9)));

  const first = await origin.load(site());
  expect(first.map((a) => a.title)).toEqual(["Bài a", "Bài b", "Bài c", "Bài d", "Có ảnh"]);
  expect(reads).toEqual(["all"]);

  // A new article and an edit published: read, the others kept.
  await publishNew("e", "bai-e", 20);
  await storage.store.applyArticleChange(
    edit("b", 1, fields({ slug: "bai-b", title: "Bài b, sửa", body: "Mới" }), 21),
  );
  await storage.store.applyArticleChange(publish("b", 2, 22, at(1)));
  src = "/media/p1/b.webp";
  reads = [];
  const second = await origin.load(site());
  expect(reads).toEqual([["b", "e", "p"]]);
  const b = second.find((a) => a.newsroomId === "b");
  expect(b).toMatchObject({ title: "Bài b, sửa", html: "<p>Mới</p>\n", updated: at(22) });
  expect(b?.hash).not.toBe(first.find((a) => a.newsroomId === "b")?.hash);
  expect(second.find((a) => a.newsroomId === "e")?.title).toBe("Bài e");
  // The picture is looked up again: a replaced one shows.
  expect(second.find((a) => a.newsroomId === "p")?.image?.url).toBe("/media/p1/b.webp");
  expect(second.find((a) => a.newsroomId === "a")).toEqual(first.find((a) => a.newsroomId === "a"));

  // The site's language is part of what an article shows: all read again.
  reads = [];
  const english = await origin.load(site("en"));
  expect(reads).toEqual(["all"]);
  expect(english.map((a) => a.language)).toEqual(["en", "en", "en", "en", "en", "en"]);
});
