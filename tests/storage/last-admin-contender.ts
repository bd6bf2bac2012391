/**
 * One side of the last-admin race on SQLite, in a thread of its own: node:sqlite
 * is synchronous, so two handles in one thread never overlap. It opens its own
 * handle on the shared file (as a second web process would), says "ready", waits
 * for the test's gate, says "calling" and makes its change.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openStorage } from "../../src/storage/open.ts";

export interface Contender {
  dataDir: string;
  action: "roles" | "remove";
  actor: string;
  subject: string;
  /** An Int32Array's buffer: the test sets it to 1 and wakes every contender at once. */
  gate: SharedArrayBuffer;
}

const job = workerData as Contender;
const port = parentPort;
if (port === null) throw new Error("a contender runs as a worker");

const storage = await openStorage({ dataDir: job.dataDir, databaseUrl: undefined });
try {
  port.postMessage({ ready: true });
  Atomics.wait(new Int32Array(job.gate), 0, 0);
  port.postMessage({ calling: true });
  const audit = {
    at: new Date(),
    actor: job.actor,
    action: `staff.${job.action}`,
    subject: job.subject,
    outcome: "ok" as const,
    address: "203.0.113.7",
    detail: null,
  };
  const result =
    job.action === "roles"
      ? await storage.store.setStaffRoles(job.subject, ["editor"], audit)
      : await storage.store.removeStaff(job.subject, audit);
  port.postMessage({ result });
} finally {
  await storage.close();
}
