/**
 * A cheap shape check in front of the inbox, before Fedify sees the request.
 *
 * Why: Fedify hands whatever JSON arrives to JSON-LD expansion before it
 * verifies the HTTP signature (it checks Linked Data proofs first). A body
 * that is a bare string is taken as a remote context URL and makes jsonld
 * throw (a 500), and any content type is processed as an activity. Refusing
 * what cannot be an activity here answers a short 4xx and keeps garbage away
 * from the JSON-LD machinery. Everything else (signatures, actor checks,
 * semantics) stays with Fedify and the inbox handlers.
 */
import type { Context, MiddlewareHandler } from "hono";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../text/json-depth.ts";

const JSON_TYPES = new Set([
  "application/activity+json",
  "application/ld+json",
  "application/json",
]);

function refuse(c: Context, status: 400 | 415, reason: string): Response {
  return c.text(reason, status);
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** One reference to an actor: its id, or an object with an `id`. */
function isSingleReference(v: unknown): boolean {
  if (isString(v)) return true;
  return isObject(v) && (isString(v.id) || isString(v["@id"]));
}

/** A reference, or a non-empty list of them (not lists of lists: no recursion on input). */
function isReference(v: unknown): boolean {
  if (isSingleReference(v)) return true;
  return Array.isArray(v) && v.length > 0 && v.every(isSingleReference);
}

function isContext(v: unknown): boolean {
  if (isString(v) || isObject(v)) return true;
  return Array.isArray(v) && v.every((x) => isString(x) || isObject(x));
}

/** Why `body` cannot be an activity, or null if its shape is plausible. */
export function activityShapeProblem(body: unknown): string | null {
  if (!isObject(body)) return "Body is not an activity (a JSON object)";
  if ("@context" in body && !isContext(body["@context"])) return "Invalid @context";
  const type = body.type ?? body["@type"];
  const typed = isString(type) || (Array.isArray(type) && type.length > 0 && type.every(isString));
  if (!typed) return "Activity has no type";
  if (!isReference(body.actor)) return "Activity has no actor";
  return null;
}

/** Refuses POSTs to an inbox that are not JSON or not shaped like an activity. */
export function inboxGuard(): MiddlewareHandler {
  return async (c, next) => {
    const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (!JSON_TYPES.has(mediaType ?? "")) {
      return refuse(c, 415, "Unsupported content type: send application/activity+json");
    }
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    let text: string;
    let body: unknown;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      body = JSON.parse(text);
    } catch {
      return refuse(c, 400, "Body is not JSON");
    }
    // Before anything walks it (Fedify's JSON-LD expansion recurses per level).
    if (nestsDeeperThan(text)) {
      return refuse(c, 400, `Activity nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const problem = activityShapeProblem(body);
    if (problem) return refuse(c, 400, problem);
    // The body was consumed: hand Fedify a fresh request carrying the same bytes.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    await next();
  };
}

/**
 * Whether an error thrown while handling an inbox POST came from interpreting
 * the sender's document (JSON-LD expansion), i.e. is the sender's fault.
 */
export function isDocumentError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A stack overflow can only come from the shape of what was sent (nesting).
  return error.name.startsWith("jsonld.") || error instanceof RangeError;
}
