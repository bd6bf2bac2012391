/** Shared bits of the federation end-to-end suites. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SITE_YML as CONTENT_SITE_YML } from "../fixtures/content/make-dir.ts";

/** The server under test. */
export const ENTRY = "src/main.ts";

export const AS2 = "application/activity+json";

/** The unit tests' site.yml plus a profile link (the actor's PropertyValue attachment). */
export const SITE_YML = `${CONTENT_SITE_YML}${[
  "links:",
  "  - name: Website",
  "    url: https://cualo.example.vn",
  "",
].join("\n")}`;

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { Accept: AS2 } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

export async function followerCount(actorUrl: string): Promise<number> {
  const actor = await getJson(actorUrl);
  const followers = await getJson(String(actor.followers));
  return Number(followers.totalItems);
}

/** Polls `check` until it returns true, up to 15 s. */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function writeArticle(
  contentDir: string,
  slug: string,
  lines: string[],
  body = "Nội dung.\n",
) {
  await writeFile(
    join(contentDir, "articles", `${slug}.md`),
    ["---", ...lines, "---", "", body].join("\n"),
  );
}
