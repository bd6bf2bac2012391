/**
 * `npm run audit -- [--since <date>] [--json]`: prints the audit trail,
 * newest first, from the store the server uses (`DATA_DIR` or
 * `DATABASE_URL`). Only reads: nothing can change the trail from here either.
 */
import { ConfigError, loadConfig } from "../config.ts";
import type { AuditQuery, AuditRecord } from "../storage/audit.ts";
import { openStorage, type Storage } from "../storage/open.ts";
import { CliError, parseCommand, runTool, type Tool, UsageError } from "./command.ts";

const TOOL: Tool = {
  name: "audit",
  usage: `Usage: npm run audit -- [--since <date>] [--until <date>] [--actor <username>] [--action <action>] [--json]
  --since   records at or after this date or time (e.g. 2024-07-01 or 2024-07-01T08:00:00+07:00)
  --until   records before this date or time
  --actor   one staff member's records
  --action  one action (login, reply.approve…) or a family ending in "." (block.)
  --json    one JSON record a line instead of a table`,
};

const PAGE = 500;

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    since: { type: "string" },
    until: { type: "string" },
    actor: { type: "string" },
    action: { type: "string" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`Unknown argument: ${positionals[0]}`);
  const query: Omit<AuditQuery, "limit" | "cursor"> = {
    ...(values.since === undefined ? {} : { since: dateOf("--since", values.since) }),
    ...(values.until === undefined ? {} : { until: dateOf("--until", values.until) }),
    ...(values.actor === undefined ? {} : { actor: values.actor }),
    ...(values.action === undefined ? {} : { action: values.action }),
  };
  let storage: Storage;
  try {
    storage = await openStorage(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : error}`);
  }
  try {
    let cursor: string | null = null;
    do {
      const page = await storage.store.listAudit({ ...query, cursor, limit: PAGE });
      for (const record of page.items) {
        process.stdout.write(`${values.json ? JSON.stringify(record) : line(record)}\n`);
      }
      cursor = page.next;
    } while (cursor !== null);
    return 0;
  } finally {
    await storage.close();
  }
}

function dateOf(option: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${option} takes a date, not "${text}"`);
  return date;
}

/** One record as a line: time, who, what, to what, how it went, from where. */
function line(r: AuditRecord): string {
  const detail = r.detail === null ? "" : ` ${JSON.stringify(r.detail)}`;
  return [
    r.at.toISOString(),
    r.actor ?? "-",
    r.action,
    r.subject ?? "-",
    r.outcome,
    r.address ?? "-",
  ]
    .join("  ")
    .concat(detail);
}

await runTool(TOOL, () => main(process.argv.slice(2)));
