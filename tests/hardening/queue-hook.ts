/**
 * Loaded into the server under test with `node --import` (so into each of
 * its threads): records which thread's queue listener was handed each
 * message, and can end a delivery thread in the middle of a delivery. Test
 * code only; the server knows nothing of it.
 *
 * - `LOA_TEST_CLAIMS`: a file; one JSON line per handled message:
 *   `{ "thread": <threadId, 0 = main>, "type": …, "action": … }`, and one per
 *   listener started: `{ "thread": …, "listening": true }`, and one per
 *   delivery thread that ends: `{ "thread": …, "exited": true }`.
 * - `LOA_TEST_CRASH_MARKER`: a file; while it exists, the first delivery
 *   (outbox message) a delivery thread is handed removes it and ends that
 *   thread at once (`process.exit(1)`), its claim still leased.
 */
import { appendFileSync, existsSync, unlinkSync } from "node:fs";
import { isMainThread, threadId } from "node:worker_threads";
import { PostgresMessageQueue } from "../../src/storage/postgres/queue.ts";
import { SqliteMessageQueue } from "../../src/storage/sqlite/queue.ts";

const claims = process.env.LOA_TEST_CLAIMS;
const marker = process.env.LOA_TEST_CRASH_MARKER;

if (!isMainThread && claims) {
  process.on("exit", () => {
    appendFileSync(claims, `${JSON.stringify({ thread: threadId, exited: true })}\n`);
  });
}

function observe(message: unknown): void {
  const m = (typeof message === "object" && message !== null ? message : {}) as {
    type?: unknown;
    action?: unknown;
  };
  if (claims) {
    appendFileSync(
      claims,
      `${JSON.stringify({ thread: threadId, type: m.type ?? null, action: m.action ?? null })}\n`,
    );
  }
  if (!isMainThread && marker && m.type === "outbox" && existsSync(marker)) {
    try {
      unlinkSync(marker);
    } catch {
      return; // another thread took it
    }
    process.exit(1);
  }
}

for (const queue of [SqliteMessageQueue, PostgresMessageQueue]) {
  const listen = queue.prototype.listen;
  queue.prototype.listen = function (
    this: InstanceType<typeof queue>,
    handler: (message: unknown) => Promise<void> | void,
    options?: Parameters<typeof listen>[1],
  ) {
    if (claims)
      appendFileSync(claims, `${JSON.stringify({ thread: threadId, listening: true })}\n`);
    return listen.call(
      this,
      (message: unknown) => {
        observe(message);
        return handler(message);
      },
      options,
    );
  } as typeof listen;
}
