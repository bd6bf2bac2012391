import { join } from "node:path";
import { canonicalLanguage } from "./article.ts";
import { readContentFile } from "./files.ts";
import { parseYamlMapping } from "./front-matter.ts";
import { resolveImage } from "./media.ts";
import type { ReplyPolicy, Site, SiteLink } from "./types.ts";

/** `site.yml` is missing or wrong: the site cannot run, so this is thrown. */
export class SiteError extends Error {
  override name = "SiteError";
  /** The file at fault. */
  readonly file: string;
  /** Each problem as `field: reason`, one line each. */
  readonly problems: readonly string[];

  constructor(message: string, file: string, problems: readonly string[]) {
    super(message);
    this.file = file;
    this.problems = problems;
  }
}

const REPLY_POLICIES: readonly ReplyPolicy[] = ["moderated", "followers", "open"];

/** Mastodon's rule for `preferredUsername`. */
const USERNAME = /^[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*$/;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value.normalize("NFC").trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * `actor.aliases`: actor URLs (what `alsoKnownAs` must hold). A handle such as
 * `@cualo@mastodon.social` is refused with the URL to write instead: resolving
 * it would take a WebFinger lookup on every start.
 */
function actorAliases(value: unknown, issues: string[]): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const aliases: string[] = [];
  list.forEach((item: unknown, i) => {
    const url = str(item);
    const handle = url ? /^@?([^@\s]+)@([^@\s]+)$/.exec(url) : null;
    if (handle) {
      issues.push(
        `actor.aliases[${i}]: "${url}" is a handle; write the account's actor URL, e.g. https://${handle[2]}/users/${handle[1]}`,
      );
    } else if (!url || !isHttpUrl(url)) {
      issues.push(`actor.aliases[${i}]: must be an account's actor URL (https://…)`);
    } else if (!aliases.includes(url)) aliases.push(url);
  });
  return aliases;
}

/** An optional list of non-empty texts (a single text is a list of one). */
function textList(field: string, value: unknown, issues: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const items: string[] = [];
  for (const item of list) {
    const s = typeof item === "number" ? String(item) : str(item);
    if (s === undefined) {
      issues.push(`${field}: must be a list of tags, e.g. [Du lịch, Cửa Lò]`);
      return undefined;
    }
    if (s !== "") items.push(s.replace(/^#/, ""));
  }
  return items;
}

/**
 * Reads and validates `site.yml` in the content dir (`root`, a real path).
 * Throws {@link SiteError} listing every problem found.
 */
export async function loadSite(root: string, maxBytes: number): Promise<Site> {
  const file = join(root, "site.yml");
  const read = await readContentFile(root, file, maxBytes);
  if (!read.ok) {
    const reason = read.missing
      ? `not found in ${root} (the site needs it: title, language, timezone, actor)`
      : read.reason;
    throw new SiteError(`site.yml: ${reason}`, file, [reason]);
  }
  const parsed = parseYamlMapping(read.text);
  if (!parsed.ok) throw new SiteError(`site.yml: ${parsed.reason}`, file, [parsed.reason]);
  const data = parsed.data;
  const issues: string[] = [];
  const need = (field: string, value: unknown): string => {
    const s = str(value);
    if (s === undefined || s === "") issues.push(`${field}: is required and must be text`);
    return s ?? "";
  };
  const optional = (field: string, value: unknown, fallback: string): string => {
    if (value === undefined || value === null) return fallback;
    const s = str(value);
    if (s === undefined) issues.push(`${field}: must be text`);
    return s ?? fallback;
  };

  const title = need("title", data.title);
  const description = optional("description", data.description, "");
  const languageRaw = need("language", data.language);
  const language = languageRaw ? (canonicalLanguage(languageRaw) ?? "") : "";
  if (languageRaw && !language)
    issues.push(`language: "${languageRaw}" is not a BCP 47 tag such as vi`);
  const timezone = need("timezone", data.timezone);
  if (timezone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: timezone });
    } catch {
      issues.push(`timezone: "${timezone}" is not an IANA time zone such as Asia/Ho_Chi_Minh`);
    }
  }

  const actorData = data.actor ?? {};
  if (!isRecord(actorData)) issues.push("actor: must be a mapping (username, name, summary)");
  const a = isRecord(actorData) ? actorData : {};
  const username = optional("actor.username", a.username, "cualo");
  if (!USERNAME.test(username)) {
    issues.push(`actor.username: "${username}" must be lowercase letters, digits, _ (e.g. cualo)`);
  }
  const actor: Site["actor"] = {
    username,
    name: optional("actor.name", a.name, title),
    summary: optional("actor.summary", a.summary, description),
    aliases: actorAliases(a.aliases, issues),
  };
  const featuredTags = textList("actor.featured_tags", a.featured_tags, issues);
  if (featuredTags) actor.featuredTags = featuredTags;
  for (const key of ["icon", "image"] as const) {
    if (a[key] === undefined || a[key] === null) continue;
    const ref = str(a[key]);
    const r = ref === undefined ? undefined : await resolveImage(root, ref);
    if (r?.ok) actor[key] = r.url;
    else issues.push(`actor.${key}: ${r?.reason ?? "must be a URL or a path under content/"}`);
  }

  const links: SiteLink[] = [];
  if (data.links !== undefined && data.links !== null) {
    if (!Array.isArray(data.links)) issues.push("links: must be a list of { name, url }");
    else {
      data.links.forEach((link: unknown, i) => {
        const name = isRecord(link) ? str(link.name) : undefined;
        const url = isRecord(link) ? str(link.url) : undefined;
        if (!name || !url || !isHttpUrl(url)) {
          issues.push(`links[${i}]: must have a name and an http(s) url`);
        } else links.push({ name, url });
      });
    }
  }

  const repliesRaw = optional("replies", data.replies, "moderated");
  const replies = REPLY_POLICIES.find((p) => p === repliesRaw) ?? "moderated";
  if (replies !== repliesRaw) {
    issues.push(`replies: "${repliesRaw}" must be one of ${REPLY_POLICIES.join(", ")}`);
  }

  if (issues.length > 0) {
    throw new SiteError(
      `site.yml is not valid:\n${issues.map((s) => `  ${s}`).join("\n")}`,
      file,
      issues,
    );
  }
  return { title, description, language, timezone, actor, links, replies };
}
