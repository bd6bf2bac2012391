/**
 * What the web layer adds to Fedify's WebFinger answers: JSON errors (Fedify
 * answers a bad request in plain text, and an unknown account falls through
 * to the site's HTML 404 page), the canonical `acct:` subject when the
 * username was asked in another case, and the profile page among the
 * aliases, as Mastodon lists its profile URL there.
 */

import type { AccountInfo } from "../federation/index.ts";

/** Fixed by RFC 7033 (Fedify routes it itself). */
export const WEBFINGER_PATH = "/.well-known/webfinger";

const JRD = "application/jrd+json";

/** For an error Fedify answers without a body. */
const REASONS: Readonly<Record<number, string>> = {
  400: "Bad request",
  404: "No such account",
  410: "This account is gone",
};

/** A WebFinger error as JSON, `{ "error": … }`. */
export function webFingerError(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
    },
  });
}

/** Finishes Fedify's answer (see the module comment). */
export async function finishWebFinger(res: Response, site: AccountInfo): Promise<Response> {
  const type = res.headers.get("Content-Type") ?? "";
  if (!res.ok) {
    if (/json/.test(type)) return res;
    const text = (await res.text()).trim();
    return webFingerError(res.status, text || (REASONS[res.status] ?? "Error"));
  }
  if (!type.includes(JRD)) return res;
  const jrd = (await res.json()) as { subject?: string; aliases?: string[]; links?: unknown[] };
  const aliases = jrd.aliases ?? [];
  if (!aliases.includes(site.profilePage)) aliases.push(site.profilePage);
  const canonical = `acct:${site.username}@${site.host}`;
  const subject =
    jrd.subject?.toLowerCase() === canonical.toLowerCase() ? canonical : (jrd.subject ?? canonical);
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify({ ...jrd, subject, aliases }), {
    status: res.status,
    headers,
  });
}
