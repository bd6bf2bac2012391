/**
 * The fan-out baseline: what Node's own HTTP client and signing reach on this
 * machine with no queue, no store and no Fedify. `node bench/fanout/bare-client.ts
 * <spec.json>` (a {@link BareSpec}) signs (draft-cavage `rsa-sha256`, as Loa does) and POSTs one body
 * to each inbox, `concurrency` at once, on `threads` worker threads, and
 * prints `{"ms":…,"delivered":…,"failed":…}`. The receiver counts what
 * arrived as for Loa. Only loopback inboxes are accepted.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

export interface BareSpec {
  inboxes: string[];
  concurrency: number;
  threads: number;
  /** PEM; made fresh when absent (the receiver only samples signatures). */
  privateKeyPem?: string;
  keyId: string;
}

interface Slice {
  inboxes: string[];
  concurrency: number;
  privateKeyPem: string;
  keyId: string;
}

const BODY = JSON.stringify({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: "http://127.0.0.1/activities/bare/create/1",
  type: "Create",
  actor: "http://127.0.0.1/users/cualo",
  object: { type: "Note", content: "x".repeat(2_000) },
});
const DIGEST = `SHA-256=${createHash("sha256").update(BODY).digest("base64")}`;

async function deliver(url: URL, key: KeyObject, keyId: string): Promise<boolean> {
  const date = new Date().toUTCString();
  const signed = `(request-target): post ${url.pathname}\nhost: ${url.host}\ndate: ${date}\ndigest: ${DIGEST}`;
  const signature = sign("sha256", Buffer.from(signed), key).toString("base64");
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/activity+json",
      date,
      digest: DIGEST,
      signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${signature}"`,
    },
    body: BODY,
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

async function runSlice(slice: Slice): Promise<{ delivered: number; failed: number }> {
  const key = createPrivateKey(slice.privateKeyPem);
  let next = 0;
  let delivered = 0;
  let failed = 0;
  const worker = async () => {
    while (next < slice.inboxes.length) {
      const url = new URL(slice.inboxes[next++] as string);
      if (url.hostname !== "127.0.0.1") throw new Error(`not a loopback inbox: ${url.href}`);
      try {
        if (await deliver(url, key, slice.keyId)) delivered++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, slice.concurrency) }, worker));
  return { delivered, failed };
}

if (!isMainThread) {
  const result = await runSlice(workerData as Slice);
  parentPort?.postMessage(result);
} else {
  const spec = JSON.parse(await readFile(process.argv[2] ?? "", "utf8")) as BareSpec;
  const privateKeyPem =
    spec.privateKeyPem ??
    generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
  const threads = Math.max(1, spec.threads);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const slice: Slice = {
        inboxes: spec.inboxes.filter((_, k) => k % threads === i),
        concurrency: Math.ceil(spec.concurrency / threads),
        privateKeyPem,
        keyId: spec.keyId,
      };
      return new Promise<{ delivered: number; failed: number }>((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: slice });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    }),
  );
  const ms = performance.now() - t0;
  const delivered = results.reduce((a, r) => a + r.delivered, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  console.log(JSON.stringify({ ms, delivered, failed }));
  process.exit(0);
}
