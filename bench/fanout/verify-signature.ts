import { createHash, verify } from "node:crypto";

/** What a receiver needs of an incoming request to check its HTTP signature. */
export interface SignedRequest {
  method: string;
  /** Path and query, as on the request line. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Verdict = { ok: true; keyId: string } | { ok: false; reason: string };

/** The headers Mastodon requires a POST's draft-cavage signature to cover. */
const REQUIRED = ["(request-target)", "host", "date", "digest"];

/** Parses `keyId="…",algorithm="…",headers="…",signature="…"`. */
export function parseSignatureHeader(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    if (m[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The keyId a request claims, without checking anything. */
export function claimedKeyId(req: SignedRequest): string | undefined {
  const sig = header(req, "signature");
  return sig ? parseSignatureHeader(sig).keyId : undefined;
}

/**
 * Checks a draft-cavage `rsa-sha256` (or `hs2019` with an RSA key) signature over
 * `(request-target) host date digest`, the `Digest` against the body, and a
 * `Date` within an hour, as Mastodon does.
 */
export function verifySignedRequest(
  req: SignedRequest,
  publicKeyPem: string,
  now: Date = new Date(),
): Verdict {
  const raw = header(req, "signature");
  if (!raw) return { ok: false, reason: "no Signature header" };
  const sig = parseSignatureHeader(raw);
  if (!sig.keyId || !sig.signature)
    return { ok: false, reason: "Signature lacks keyId or signature" };
  const algorithm = (sig.algorithm ?? "hs2019").toLowerCase();
  if (algorithm !== "rsa-sha256" && algorithm !== "hs2019") {
    return { ok: false, reason: `unsupported algorithm ${algorithm}` };
  }
  const covered = (sig.headers ?? "date").toLowerCase().split(/\s+/).filter(Boolean);
  for (const name of REQUIRED) {
    if (!covered.includes(name)) return { ok: false, reason: `signature does not cover ${name}` };
  }
  const date = Date.parse(header(req, "date") ?? "");
  if (!Number.isFinite(date) || Math.abs(now.getTime() - date) > 3_600_000) {
    return { ok: false, reason: "Date missing or more than an hour off" };
  }
  const digest = header(req, "digest") ?? "";
  const expected = createHash("sha256").update(req.body).digest("base64");
  const sha256 = digest
    .split(",")
    .map((part) => part.trim())
    .find((part) => part.toLowerCase().startsWith("sha-256="));
  if (sha256?.slice("sha-256=".length) !== expected)
    return { ok: false, reason: "Digest does not match the body" };

  const lines: string[] = [];
  for (const name of covered) {
    if (name === "(request-target)") {
      lines.push(`(request-target): ${req.method.toLowerCase()} ${req.path}`);
    } else {
      const value = header(req, name);
      if (value === undefined) return { ok: false, reason: `covered header ${name} is absent` };
      lines.push(`${name}: ${value}`);
    }
  }
  let valid = false;
  try {
    valid = verify(
      "sha256",
      Buffer.from(lines.join("\n")),
      publicKeyPem,
      Buffer.from(sig.signature, "base64"),
    );
  } catch (error) {
    return { ok: false, reason: `verification failed: ${String(error)}` };
  }
  return valid
    ? { ok: true, keyId: sig.keyId }
    : { ok: false, reason: "signature does not verify" };
}
