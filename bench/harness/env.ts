/**
 * The one place the bench reads its own environment: child processes (the server
 * under test, baselines, the receiver) inherit it, plus the settings a run sets.
 * `src/config.ts` stays the only reader inside the server itself.
 */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A developer's own Loa settings must not leak into the server under test.
    if (v !== undefined && !LOA_SETTINGS.has(k)) base[k] = v;
  }
  return { ...base, ...extra };
}

const LOA_SETTINGS = new Set([
  "PORT",
  "HOST",
  "ORIGIN",
  "CONTENT_DIR",
  "KEYS_DIR",
  "DATA_DIR",
  "DATABASE_URL",
  "ALLOW_PRIVATE_ADDRESS",
  "FEED_LIMIT",
  "PAGE_SIZE",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "NODE_ENV",
]);
