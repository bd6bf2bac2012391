import { getLogger } from "@logtape/logtape";
import { own } from "../text/own.ts";
import { articleHash } from "./article-hash.ts";
import { parseIsoDateTime } from "./dates.ts";
import { splitFrontMatter } from "./front-matter.ts";
import { renderMarkdown, renderNewsroomMarkdown } from "./markdown.ts";
import { resolveImage } from "./media.ts";
import { SLUG_PATTERN, slugify } from "./slug.ts";
import type { Article, ArticleImage, ContentProblem } from "./types.ts";

const logger = getLogger(["loa", "content"]);

const KNOWN_FIELDS = new Set([
  "title",
  "published",
  "updated",
  "author",
  "summary",
  "tags",
  "language",
  "image",
  "slug",
  "draft",
  "pinned",
  "html",
]);

/**
 * The origin a file article's sanitized HTML (`html: sanitized`) is read
 * against: relative and root-relative links and pictures stay as written; an
 * absolute picture URL is another site's, and dropped.
 */
const FILE_ORIGIN = "https://content.invalid";

export type ArticleResult =
  | {
      ok: true;
      article: Article;
      /** `draft: true`: valid, but not published (nor federated) until the line goes. */
      draft: boolean;
    }
  | { ok: false; problems: ContentProblem[] };

export interface ArticleInput {
  /** Real path of the content dir. */
  root: string;
  /** Path relative to the content dir, e.g. `articles/foo.md`. */
  file: string;
  bytes: Buffer;
  /** The decoded, NFC text of the file. */
  text: string;
  /** The site's language, the default for articles. */
  siteLanguage: string;
}

/** Canonical BCP 47 tag, or undefined when the value is not shaped like one. */
export function canonicalLanguage(value: string): string | undefined {
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(value)) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value.normalize("NFC").trim() : undefined;
}

/** A string or a number (YAML reads `2021` as a number) as trimmed text. */
function label(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return text(value);
}

/**
 * Validates one article file and builds the {@link Article}. Every field is
 * checked, so the editor sees all of a file's problems at once.
 */
export async function parseArticle(input: ArticleInput): Promise<ArticleResult> {
  const { file } = input;
  const problems: ContentProblem[] = [];
  const fail = (field: string | undefined, reason: string) =>
    problems.push(field === undefined ? { file, reason } : { file, field, reason });

  const split = splitFrontMatter(input.text);
  if (!split.ok) return { ok: false, problems: [{ file, reason: split.reason }] };
  const data = split.data;

  const title = text(data.title);
  if (data.title === undefined) fail("title", "is required");
  else if (title === undefined) fail("title", "must be text");
  else if (title === "") fail("title", "must not be empty");

  let published: Date | undefined;
  if (data.published === undefined)
    fail("published", "is required, e.g. 2021-03-18T15:00:00+07:00");
  else {
    const r = parseIsoDateTime(data.published);
    if (r.ok) published = r.date;
    else fail("published", r.reason);
  }

  let updated: Date | undefined;
  if (data.updated !== undefined && data.updated !== null) {
    const r = parseIsoDateTime(data.updated);
    if (!r.ok) fail("updated", r.reason);
    else if (published && r.date < published) fail("updated", "is before published");
    else updated = r.date;
  }

  const authors: string[] = [];
  if (data.author !== undefined && data.author !== null) {
    const list = Array.isArray(data.author) ? data.author : [data.author];
    for (const a of list) {
      const name = text(a);
      if (name === undefined) {
        fail("author", "must be a name or a list of names");
        break;
      }
      if (name !== "" && !authors.includes(name)) authors.push(name);
    }
  }

  let summary: string | undefined;
  if (data.summary !== undefined && data.summary !== null) {
    summary = text(data.summary);
    if (summary === undefined) fail("summary", "must be text");
    else if (summary === "") summary = undefined;
  }

  const tags: string[] = [];
  if (data.tags !== undefined && data.tags !== null) {
    if (!Array.isArray(data.tags))
      fail("tags", "must be a list, e.g. [Cải cách hành chính, Cửa Lò]");
    else {
      const seen = new Set<string>();
      for (const t of data.tags) {
        const tag = label(t);
        if (tag === undefined) {
          fail("tags", "each tag must be text");
          break;
        }
        // Hashtags are case-insensitive: "Cửa Lò" and "cửa lò" are one tag.
        const key = tag.toLocaleLowerCase("vi");
        if (tag !== "" && !seen.has(key)) {
          seen.add(key);
          tags.push(tag);
        }
      }
    }
  }

  let language = input.siteLanguage;
  if (data.language !== undefined && data.language !== null) {
    const lang =
      typeof data.language === "string" ? canonicalLanguage(data.language.trim()) : undefined;
    if (lang === undefined) fail("language", "must be a BCP 47 language tag such as vi or en-US");
    else language = lang;
  }

  let image: ArticleImage | undefined;
  if (data.image !== undefined && data.image !== null) {
    const raw = data.image;
    const obj =
      typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    const ref = obj ? text(obj.url ?? obj.src) : text(raw);
    const alt = obj && obj.alt !== undefined ? text(obj.alt) : title;
    if (ref === undefined) fail("image", "must be a URL or path, or { url, alt }");
    else if (obj && obj.alt !== undefined && alt === undefined) fail("image", "alt must be text");
    else {
      const r = await resolveImage(input.root, ref);
      if (r.ok) {
        image = { url: r.url, alt: alt ?? "", mediaType: r.mediaType };
        if (r.length !== undefined) image.length = r.length;
      } else fail("image", r.reason);
    }
  }

  const stem = file.replace(/^.*\//, "").replace(/\.md$/, "");
  let slug = stem;
  if (data.slug !== undefined && data.slug !== null) {
    const s = label(data.slug);
    if (s === undefined || !SLUG_PATTERN.test(s)) {
      fail("slug", "must be lowercase letters, digits and single hyphens, e.g. cua-lo-hoi-nghi");
    } else slug = s;
  } else if (!SLUG_PATTERN.test(stem)) {
    const suggestion = slugify(stem) || "bai-viet";
    fail(
      "slug",
      `the file name is not a valid slug: rename it to ${suggestion}.md or set slug: ${suggestion}`,
    );
  }

  let draft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft !== "boolean") fail("draft", "must be true or false");
    else draft = data.draft;
  }

  let pinned = false;
  if (data.pinned !== undefined && data.pinned !== null) {
    if (typeof data.pinned !== "boolean") fail("pinned", "must be true or false");
    else pinned = data.pinned;
  }

  // `html: sanitized` (what `npm run export` writes for a newsroom article):
  // raw HTML in the body is kept as the newsroom keeps it, through its sanitizer.
  let sanitizedHtml = false;
  if (data.html !== undefined && data.html !== null) {
    if (data.html !== "sanitized") fail("html", 'must be "sanitized" when given');
    else sanitizedHtml = true;
  }

  const unknown = Object.keys(data).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) {
    logger.warning("{file}: ignoring unknown front-matter fields {fields}", {
      file,
      fields: unknown,
    });
  }

  if (problems.length > 0 || title === undefined || published === undefined) {
    return { ok: false, problems };
  }
  const article: Article = {
    slug: own(slug),
    file,
    title: own(title),
    published,
    authors: authors.map(own),
    tags: tags.map(own),
    language,
    html: own(
      sanitizedHtml ? renderNewsroomMarkdown(split.body, FILE_ORIGIN) : renderMarkdown(split.body),
    ),
    hash: articleHash(input.bytes, "pinned" in data),
  };
  if (pinned) article.pinned = true;
  if (updated) article.updated = updated;
  if (summary !== undefined) article.summary = own(summary);
  if (image) article.image = { ...image, url: own(image.url), alt: own(image.alt) };
  return { ok: true, article, draft };
}
