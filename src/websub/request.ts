/**
 * A subscriber's request to the hub (WebSub §5.1), checked field by field:
 * anything wrong is a value naming the field, answered 400 by `routes.ts`.
 */

/** A request that passed every check (the topic is one of our feeds, canonical). */
export interface HubRequest {
  mode: "subscribe" | "unsubscribe";
  /** The feed's canonical URL (its `rel="self"`), which subscriptions are kept under. */
  topic: string;
  callback: URL;
  /** Granted: the asked lease cut to the maximum, or the default (unsubscribe: 0). */
  leaseSeconds: number;
  secret: string | null;
}

export type ParsedHubRequest = { ok: true; request: HubRequest } | { ok: false; reason: string };

export interface HubRequestRules {
  /** The canonical URL of the topic at `url`, or null when it is none of ours. */
  canonicalTopic(url: string): string | null;
  leaseDefaultS: number;
  leaseMaxS: number;
}

/** §5.1: "MUST be less than 200 bytes in length". */
const SECRET_MAX_BYTES = 199;
const URL_MAX_LENGTH = 2048;

function fail(reason: string): ParsedHubRequest {
  return { ok: false, reason };
}

/** Checks a form-encoded body's fields; unknown fields are ignored (§5.1). */
export function parseHubRequest(form: URLSearchParams, rules: HubRequestRules): ParsedHubRequest {
  const mode = form.get("hub.mode");
  if (mode === null) return fail("hub.mode is missing: use subscribe or unsubscribe");
  if (mode !== "subscribe" && mode !== "unsubscribe") {
    return fail(`hub.mode "${mode.slice(0, 40)}" is not subscribe or unsubscribe`);
  }

  const rawTopic = form.get("hub.topic");
  if (!rawTopic) return fail("hub.topic is missing: give the URL of one of this site's feeds");
  const topic = rawTopic.length <= URL_MAX_LENGTH ? rules.canonicalTopic(rawTopic) : null;
  if (topic === null) {
    return fail(
      `hub.topic ${rawTopic.slice(0, 200)} is not one of this site's feeds (the feeds, or a tag's feeds)`,
    );
  }

  const rawCallback = form.get("hub.callback");
  if (!rawCallback) return fail("hub.callback is missing");
  if (rawCallback.length > URL_MAX_LENGTH) {
    return fail(`hub.callback is longer than ${URL_MAX_LENGTH} characters`);
  }
  let callback: URL;
  try {
    callback = new URL(rawCallback);
  } catch {
    return fail(`hub.callback ${rawCallback.slice(0, 200)} is not an absolute URL`);
  }
  if (callback.protocol !== "http:" && callback.protocol !== "https:") {
    return fail(`hub.callback must be an http or https URL, not ${callback.protocol}`);
  }
  if (callback.username !== "" || callback.password !== "") {
    return fail("hub.callback must not carry a user name or password");
  }
  if (callback.hash !== "") return fail("hub.callback must not have a #fragment");

  let leaseSeconds = 0;
  if (mode === "subscribe") {
    const rawLease = form.get("hub.lease_seconds");
    if (rawLease === null || rawLease === "") {
      leaseSeconds = rules.leaseDefaultS;
    } else {
      const asked = /^\d{1,12}$/.test(rawLease) ? Number(rawLease) : Number.NaN;
      if (!Number.isInteger(asked) || asked < 1) {
        return fail(`hub.lease_seconds "${rawLease.slice(0, 40)}" is not a positive whole number`);
      }
      leaseSeconds = Math.min(asked, rules.leaseMaxS);
    }
  }

  const rawSecret = form.get("hub.secret");
  let secret: string | null = null;
  if (mode === "subscribe" && rawSecret !== null && rawSecret !== "") {
    const bytes = new TextEncoder().encode(rawSecret).byteLength;
    if (bytes > SECRET_MAX_BYTES) {
      return fail(`hub.secret is ${bytes} bytes; it must be less than 200 bytes`);
    }
    secret = rawSecret;
  }

  return { ok: true, request: { mode, topic, callback, leaseSeconds, secret } };
}

/** The `rel="self"` URL in a `Link` header value, if any. */
export function selfLink(link: string | undefined): string | null {
  if (link === undefined) return null;
  for (const part of link.split(",")) {
    const m = /^\s*<([^>]*)>\s*;\s*rel="?self"?\s*$/.exec(part);
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}
