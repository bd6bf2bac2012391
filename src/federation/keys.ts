import { randomUUID, webcrypto } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";

const logger = getLogger(["loa", "federation", "keys"]);

/** The actor's two key pairs: RSA for HTTP Signatures, Ed25519 for integrity proofs. */
export interface ActorKeys {
  rsa: webcrypto.CryptoKeyPair;
  ed25519: webcrypto.CryptoKeyPair;
  /** When the identity was made (the RSA key file's time): the actor's `published`. */
  createdAt?: Date;
}

/** A key file exists but cannot be used; the server must not start (nor regenerate). */
export class KeyFileError extends Error {
  override name = "KeyFileError";
}

const FILES = { rsa: "rsa.jwk.json", ed25519: "ed25519.jwk.json" } as const;

interface KeyFile {
  publicKey: webcrypto.JsonWebKey;
  privateKey: webcrypto.JsonWebKey;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new KeyFileError(`Cannot access key file ${path}: ${(error as Error).message}`);
  }
}

/**
 * RSA-2048 made with WebCrypto directly: Fedify's generator makes 4096-bit keys
 * whose signatures cost ~15× more per delivery; Mastodon's own keys are 2048-bit.
 */
export async function generateRsa(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
}

async function generateEd25519(): Promise<webcrypto.CryptoKeyPair> {
  return (await generateCryptoKeyPair("Ed25519")) as webcrypto.CryptoKeyPair;
}

async function readPair(path: string): Promise<webcrypto.CryptoKeyPair> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<KeyFile>;
    if (parsed.publicKey == null || parsed.privateKey == null) {
      throw new Error("expected an object with publicKey and privateKey JWKs");
    }
    const publicKey = (await importJwk(parsed.publicKey, "public")) as webcrypto.CryptoKey;
    const privateKey = (await importJwk(parsed.privateKey, "private")) as webcrypto.CryptoKey;
    return { publicKey, privateKey };
  } catch (error) {
    throw new KeyFileError(
      `Key file ${path} exists but cannot be read or parsed (${(error as Error).message}). ` +
        "Restore it from a backup; deleting it makes a new identity that existing followers will not trust.",
    );
  }
}

/**
 * Publishes a new key file atomically: written whole to a temporary name, then
 * hard-linked into place, which fails if the name exists. Several processes
 * starting at once on a shared `KEYS_DIR` (scale-out) thus agree on one key:
 * the loser reads the winner's file instead of overwriting it or reading it
 * half-written. Returns false when another process won.
 */
async function publishPair(path: string, pair: webcrypto.CryptoKeyPair): Promise<boolean> {
  const file: KeyFile = {
    publicKey: (await exportJwk(pair.publicKey)) as webcrypto.JsonWebKey,
    privateKey: (await exportJwk(pair.privateKey)) as webcrypto.JsonWebKey,
  };
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await chmod(temp, 0o600);
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Whether `keysDir` holds the actor's identity already (tools that act as the
 * actor, like `npm run move`, must not make a new one).
 */
export async function hasKeys(keysDir: string): Promise<boolean> {
  return await exists(join(keysDir, FILES.rsa));
}

/**
 * Refuses a key file or keys directory that others than its owner may read,
 * write or enter (any group or other permission bit). Refused, not fixed:
 * a private key others could read may already have been copied, which the
 * operator must know about (and may answer by moving to a new account); a
 * mode changed behind their back would hide that, and a read-only mount
 * (a container secret) could not be changed anyway. OpenSSH refuses the same.
 */
async function checkPrivate(path: string, kind: "file" | "dir"): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const octal = mode.toString(8).padStart(4, "0");
  throw new KeyFileError(
    kind === "file"
      ? `key file ${path} is open to other users (mode ${octal}); run: chmod 600 ${path}`
      : `keys directory ${path} is open to other users (mode ${octal}); run: chmod 700 ${path}`,
  );
}

/**
 * Loads the actor's key pairs from `keysDir`, generating (and saving, mode
 * 0600) any that do not exist yet. A file that exists but is unreadable throws
 * {@link KeyFileError}: silently regenerating would change the actor's identity.
 * So does a key file not 0600 (or stricter) or a directory not 0700, checked
 * on every start (see {@link checkPrivate}).
 */
export async function loadOrCreateKeys(keysDir: string): Promise<ActorKeys> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const generators = { rsa: generateRsa, ed25519: generateEd25519 };
  const result: Partial<ActorKeys> = {};
  for (const kind of ["rsa", "ed25519"] as const) {
    const path = join(keysDir, FILES[kind]);
    if (await exists(path)) {
      result[kind] = await readPair(path);
    } else {
      await chmod(keysDir, 0o700);
      const pair = await generators[kind]();
      if (await publishPair(path, pair)) {
        logger.info("Generated a new {kind} key pair in {path}", { kind, path });
        result[kind] = pair;
      } else {
        result[kind] = await readPair(path);
      }
    }
  }
  await checkPrivate(keysDir, "dir");
  for (const kind of ["rsa", "ed25519"] as const)
    await checkPrivate(join(keysDir, FILES[kind]), "file");
  result.createdAt = (await stat(join(keysDir, FILES.rsa))).mtime;
  return result as ActorKeys;
}
