/**
 * `npm run move -- <new-actor-url> [--no-wait] [--wait-seconds <n>]`: the town's account moves to
 * another one (say, after a change of domain). Run it with the server's
 * settings (the same `.env`, `CONTENT_DIR`, `KEYS_DIR`, `DATA_DIR` or
 * `DATABASE_URL`). It refuses, sending nothing, unless the new account lists
 * this one in its `alsoKnownAs`; else it records `movedTo`, queues `Move` for
 * every follower, and shows the deliveries the running server (or its
 * workers) makes until the queue is empty. Exits 0 when moved, 1 when
 * refused, 2 on bad usage.
 */
import { systemClock } from "../clock.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { SiteError } from "../content/load.ts";
import { openContent } from "../content/source.ts";
import { createFederation, hasKeys, loadOrCreateKeys } from "../federation/index.ts";
import { setupLogging } from "../logging.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import { createUrls } from "../urls.ts";
import { parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const POLL_MS = 1000;
/** The queue must stay empty this long: a message being handled is not counted in it. */
const SETTLED_POLLS = 3;

const TOOL: Tool = {
  name: "move",
  usage: `Usage: npm run move -- <new-actor-url> [--no-wait] [--wait-seconds <n>]
  e.g. npm run move -- https://tin.cualo.gov.vn/users/cualo
  --no-wait         queue the Move and exit, without showing the deliveries
  --wait-seconds n  how long to show the deliveries at most (default 600)`,
};

/** Shows the queue draining until it stays empty or `seconds` pass. */
async function watchDeliveries(storage: Storage, seconds: number): Promise<void> {
  // Deliveries only: the other lanes' work is not this tool's.
  const queue = storage.lanes.delivery;
  const deadline = Date.now() + seconds * 1000;
  let empty = 0;
  let last = "";
  while (Date.now() < deadline) {
    const depth = await queue.getDepth();
    const line =
      depth.queued === 0
        ? "Deliveries: none waiting"
        : `Deliveries: ${depth.ready} waiting, ${depth.delayed} to retry later`;
    if (line !== last) console.log(line);
    last = line;
    empty = depth.queued === 0 ? empty + 1 : 0;
    if (empty >= SETTLED_POLLS) {
      console.log("Done: every follower's server has been sent the Move (or is being retried).");
      return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  console.log(
    `Still delivering after ${seconds} s; the server keeps going, retrying servers that are down. ` +
      "(Is the server, or a worker, running?)",
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    "no-wait": { type: "boolean" },
    "wait-seconds": { type: "string" },
  });
  const [target, ...extra] = positionals;
  const wait = values["no-wait"] !== true;
  const seconds = Number(values["wait-seconds"] ?? 600);
  if (target === undefined || extra.length > 0) throw new UsageError("one new actor URL needed");
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError("--wait-seconds takes a number of seconds");
  }

  const config = loadConfig();
  // The tool's own lines are its output; only problems are logged.
  await setupLogging({ ...config, logLevel: "warning" });
  if (!(await hasKeys(config.keysDir))) {
    console.error(`No actor keys in ${config.keysDir}: run this with the server's settings.`);
    return 1;
  }
  const urls = createUrls(config.origin);
  const content = await openContent(config.contentDir, { watch: false, clock: systemClock });
  const storage = await openStorage(config);
  try {
    const federation = createFederation({
      config,
      urls,
      content,
      keys: await loadOrCreateKeys(config.keysDir),
      store: storage.store,
      kv: storage.kv,
      lanes: storage.lanes,
      clock: systemClock,
      // This tool sends; it handles no inbox and keeps no metrics.
      onInteraction: () => {},
      observeDelivery: () => {},
      manuallyStartQueue: true,
    });
    const ours = urls.actor(content.current().site.actor.username);
    console.log(`Moving ${ours} to ${target}`);
    const result = await federation.moveTo(target);
    if (!result.ok) {
      console.error(`Refused, nothing sent: ${result.reason}`);
      return 1;
    }
    console.log(`✓ ${result.target} lists this account in alsoKnownAs`);
    console.log(`✓ The actor now shows movedTo ${result.target}`);
    console.log(
      `✓ Move (${result.moveId}) queued for ${result.followers} follower(s) on ${result.inboxes} inbox(es)`,
    );
    if (wait && result.followers > 0) await watchDeliveries(storage, seconds);
    return 0;
  } finally {
    await content.close();
    await storage.close();
  }
}

await runTool(TOOL, async () => {
  try {
    return await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    explain(error);
    return 1;
  }
});

function explain(error: unknown): void {
  if (error instanceof SiteError) {
    console.error(`Cannot move: ${error.file}: ${error.problems.join("; ")}`);
  } else if (error instanceof ConfigError) {
    console.error(`Cannot move: ${error.message}`);
  } else {
    console.error("Cannot move:", error);
  }
}
