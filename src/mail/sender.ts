/**
 * The loop that empties the outbox: one per process, one message at a time.
 * Each message is leased before it is sent, so processes sharing a database
 * never send it twice; a failure is retried later with a doubling delay, and
 * after the last attempt the message is kept as failed and logged.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { OutboxMail, OutboxStore } from "../storage/outbox.ts";
import type { MailTransport } from "./smtp.ts";

const logger = getLogger(["loa", "mail"]);

export interface MailRetry {
  /** Delay before the second attempt; doubles with each one after. Default 10 min. */
  initialMs: number;
  /** The longest delay between attempts. Default 8 h. */
  maxMs: number;
  /** Attempts before giving up. Default 8 (about 18 hours with the defaults). */
  attempts: number;
}

export const DEFAULT_MAIL_RETRY: MailRetry = {
  initialMs: 10 * 60_000,
  maxMs: 8 * 3_600_000,
  attempts: 8,
};

export interface MailSenderDeps {
  store: Pick<OutboxStore, "claimMail" | "markMailSent" | "markMailFailed" | "forgetFailedMail">;
  send: MailTransport;
  clock: Clock;
  retry?: MailRetry;
  /** How often the outbox is looked at when nothing wakes the loop. Default 5 s. */
  pollMs?: number;
  /** Bound on one message's whole exchange with the server. Default 60 s. */
  sendTimeoutMs?: number;
  /** How long a claimed message stays with this process (well above `sendTimeoutMs`). Default 5 min. */
  leaseMs?: number;
}

export interface MailSender {
  /** Looks at the outbox now (a message was just queued). */
  wake(): void;
  /**
   * Stops the loop. A send under way is given `graceMs` to finish; one cut
   * short stays leased and is sent again once the lease runs out.
   */
  stop(graceMs?: number): Promise<void>;
}

/** How long a message given up on is kept for the operator: the outbox stays bounded. */
export const KEEP_FAILED_MS = 30 * 86_400_000;

/** The delay before the attempt after `attempts` failed ones. */
export function retryDelay(retry: MailRetry, attempts: number): number {
  return Math.min(retry.maxMs, retry.initialMs * 2 ** Math.max(0, attempts - 1));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the mail server in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function startMailSender(deps: MailSenderDeps): MailSender {
  const retry = deps.retry ?? DEFAULT_MAIL_RETRY;
  const pollMs = deps.pollMs ?? 5_000;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 60_000;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let nudge: (() => void) | null = null;
  let nudged = false;

  const idle = () =>
    new Promise<void>((resolve) => {
      if (nudged || stopped) {
        nudged = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        nudge = null;
        resolve();
      }
      nudge = done;
    });

  const deliver = async (mail: OutboxMail) => {
    try {
      await withTimeout(deps.send(mail), sendTimeoutMs);
    } catch (error) {
      const reason = describe(error);
      const giveUp = mail.attempts >= retry.attempts;
      const retryAt = giveUp
        ? null
        : new Date(deps.clock().getTime() + retryDelay(retry, mail.attempts));
      await deps.store.markMailFailed(mail.id, holder, retryAt, reason);
      if (retryAt) {
        logger.warning(
          "Mail {id} to {to} not sent (attempt {attempt}): {reason}; retrying at {retryAt}",
          { id: mail.id, to: mail.to, attempt: mail.attempts, reason, retryAt },
        );
      } else {
        await deps.store.forgetFailedMail(new Date(deps.clock().getTime() - KEEP_FAILED_MS));
        logger.error("Gave up on mail {id} to {to} after {attempt} attempts: {reason}", {
          id: mail.id,
          to: mail.to,
          attempt: mail.attempts,
          reason,
          subject: mail.subject,
        });
      }
      return;
    }
    if (await deps.store.markMailSent(mail.id, holder)) {
      logger.info("Sent mail {id} to {to}", { id: mail.id, to: mail.to, attempt: mail.attempts });
    } else {
      logger.warning("Mail {id} was sent after its lease ran out", { id: mail.id });
    }
  };

  const loop = (async () => {
    while (!stopped) {
      let claimed: OutboxMail[] = [];
      try {
        claimed = await deps.store.claimMail(holder, deps.clock(), leaseMs, 1);
        for (const mail of claimed) await deliver(mail);
      } catch (error) {
        logger.error("The mail outbox could not be read or updated: {error}", { error });
      }
      if (claimed.length === 0) await idle();
    }
  })();

  return {
    wake() {
      nudged = true;
      nudge?.();
    },
    async stop(graceMs = 5_000) {
      stopped = true;
      nudge?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        loop,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
