/**
 * The article service's audit rows: the one each change is stored with, and
 * a refusal by role, which changes nothing but is itself audited.
 */
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../../clock.ts";
import type {
  AuditDetailValue,
  AuditEntry,
  AuditOutcome,
  AuditStore,
} from "../../storage/audit.ts";
import type { Actor, ArticleAction, ArticleOutcome } from "./types.ts";

const logger = getLogger(["loa", "newsroom", "articles"]);

export interface AuditEntriesDeps {
  store: Pick<AuditStore, "appendAudit">;
  clock: Clock;
}

export function auditEntries(deps: AuditEntriesDeps) {
  const audit = (
    actor: Actor,
    action: string,
    subject: string,
    detail: Record<string, AuditDetailValue>,
    outcome: AuditOutcome = "ok",
  ): AuditEntry => ({
    at: deps.clock(),
    actor: actor.username,
    action,
    subject,
    outcome,
    address: actor.address ?? null,
    detail,
  });

  const deny = async (
    actor: Actor,
    action: ArticleAction | "create" | "view",
    target: string,
    why: string,
  ): Promise<ArticleOutcome> => {
    logger.warning("Refused {action} on {target} by {actor}: {why}", {
      action,
      target,
      actor: actor.username,
      why,
    });
    await deps.store.appendAudit(
      audit(actor, `article.${action}`, target, { reason: why }, "denied"),
    );
    return {
      ok: false,
      failure: { kind: "forbidden", message: "Bạn không có quyền làm việc này với bài viết này." },
    };
  };

  return { audit, deny };
}
