/**
 * Staff password hashes: scrypt with a random salt per hash, written as
 * `scrypt$N$r$p$salt$hash` (base64, unpadded) so the cost can be raised later
 * without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** 2^15 · r=8 costs 32 MiB and tens of milliseconds a try: cheap for a login, dear for a guesser. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** The most memory a stored hash may ask for; a hash asking more is not ours (or is an attack). */
const MAX_MEMORY = 256 * 1024 * 1024;

interface Cost {
  N: number;
  r: number;
  p: number;
}

/** Hashes `password` for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, COST);
  return ["scrypt", COST.N, COST.r, COST.p, b64(salt), b64(key)].join("$");
}

/**
 * True when `password` is the one `hash` was made from. A malformed hash is
 * false, not an error: it can only mean "no login".
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parse(hash);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

function parse(hash: string): { cost: Cost; salt: Buffer; key: Buffer } | null {
  const parts = hash.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts
    .slice(1, 4)
    .map((part) => (/^[0-9]{1,10}$/.test(part) ? Number(part) : 0));
  if (N === undefined || r === undefined || p === undefined) return null;
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || p < 1 || p > 16 || memory({ N, r, p }) > MAX_MEMORY) return null;
  const salt = fromB64(parts[4] ?? "");
  const key = fromB64(parts[5] ?? "");
  if (salt === null || key === null || salt.length < 8 || key.length < 16) return null;
  return { cost: { N, r, p }, salt, key };
}

function derive(password: string, salt: Buffer, length: number, cost: Cost): Promise<Buffer> {
  // NFC: the same Vietnamese password typed on two keyboards may arrive composed or decomposed.
  const input = password.normalize("NFC");
  return new Promise((resolve, reject) => {
    // Node's default `maxmem` (32 MiB) is just under what 2^15 · 8 takes.
    const options = { ...cost, maxmem: memory(cost) + 1024 * 1024 };
    scrypt(input, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** What OpenSSL's scrypt allocates: the N-block table plus p blocks. */
function memory(cost: Cost): number {
  return 128 * cost.r * (cost.N + 2) + 128 * cost.r * cost.p;
}

function b64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/=+$/, "");
}

function fromB64(text: string): Buffer | null {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : null;
}
