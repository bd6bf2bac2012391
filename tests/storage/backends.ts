/**
 * The storage backends every shared suite runs against (botkit's "factories"
 * pattern). A target is one fresh, empty location (a temp dir, a PG schema);
 * opening it twice reaches the same data, as a restart would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { afterAll } from "vitest";
import { type OpenStorageOptions, openStorage, type Storage } from "../../src/storage/open.ts";
import type { Store } from "../../src/storage/store.ts";
import { freshPostgresUrl, postgresUrl } from "../helpers/postgres.ts";

export interface Target {
  dataDir: string;
  databaseUrl: string | undefined;
  open(options?: OpenStorageOptions): Promise<Storage>;
}

export interface Backend {
  name: "sqlite" | "postgres";
  /** False when no PostgreSQL server answers: the suite is skipped (with a warning). */
  available: boolean;
  target(): Promise<Target>;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary directory, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "loa-storage-"));
  tempDirs.push(dir);
  return dir;
}

function target(dataDir: string, databaseUrl: string | undefined): Target {
  return {
    dataDir,
    databaseUrl,
    open: (options) => openStorage({ dataDir, databaseUrl }, options),
  };
}

/** Runs `fn` on a store opened on a fresh target, closing it afterwards. */
export async function withStore(
  backend: Backend,
  fn: (store: Store) => Promise<void>,
): Promise<void> {
  const { store } = await (await backend.target()).open();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/** Call at the top level of a test file (it may register cleanup hooks). */
export async function backends(): Promise<Backend[]> {
  const pg = await postgresUrl();
  return [
    { name: "sqlite", available: true, target: async () => target(tempDir(), undefined) },
    {
      name: "postgres",
      available: pg !== null,
      target: async () => target(tempDir(), await freshPostgresUrl()),
    },
  ];
}

/**
 * A Fedify delay. The runtime Temporal is the polyfill, whose objects TypeScript
 * does not accept as the `esnext.temporal` types Fedify declares (STACK.md).
 */
export function delay(ms: number): MessageQueueEnqueueOptions["delay"] {
  return Temporal.Duration.from({
    milliseconds: ms,
  }) as unknown as MessageQueueEnqueueOptions["delay"];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `predicate` holds; throws after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await sleep(25);
  }
}
