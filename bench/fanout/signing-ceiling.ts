import { generateKeyPairSync, sign } from "node:crypto";

/** RSA-2048 `crypto.sign("sha256", …)` throughput of one core, measured now. */
export interface SigningCeiling {
  signsPerSecondPerCore: number;
  cores: number;
  /** signsPerSecondPerCore × cores: no fan-out that signs each delivery beats this. */
  signsPerSecond: number;
}

/**
 * Signs a delivery-sized signing string in a loop for `durationMs` (bounded) on
 * this process's one thread. Each delivery is one such signature.
 */
export function measureSigning(durationMs: number, cores = 2): SigningCeiling {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const data = Buffer.from(
    "(request-target): post /users/someone/inbox\nhost: mastodon.example\n" +
      `date: ${new Date().toUTCString()}\ndigest: SHA-256=${"A".repeat(43)}=`,
  );
  for (let i = 0; i < 20; i++) sign("sha256", data, privateKey); // warm-up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs && n < 1_000_000) {
    for (let i = 0; i < 10; i++) sign("sha256", data, privateKey);
    n += 10;
    elapsed = performance.now() - start;
  }
  const perCore = n / (elapsed / 1000);
  return { signsPerSecondPerCore: perCore, cores, signsPerSecond: perCore * cores };
}
