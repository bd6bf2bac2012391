/**
 * The {@link MailQueue} on the store's outbox: `enqueue` checks and bounds
 * the message, inserts one row and returns; the sender loop does the rest.
 */
import { randomUUID } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { OutboxStore } from "../storage/outbox.ts";
import type { MailMessage, MailQueue } from "./types.ts";

const logger = getLogger(["loa", "mail"]);

/** RFC 5321's longest path. */
const MAX_ADDRESS = 254;
/** Longer subjects are cut (mail clients show far less). */
const MAX_SUBJECT = 200;
/** A notice is a few lines; anything longer is cut, never stored whole. */
export const MAX_MAIL_TEXT = 20_000;

/** One plain address; nothing a header could be split on. */
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

export interface MailQueueDeps {
  store: Pick<OutboxStore, "enqueueMail">;
  clock: Clock;
  /** Told after a message is kept, so this process's sender looks at once. */
  enqueued?: () => void;
}

export function createMailQueue(deps: MailQueueDeps): MailQueue {
  return {
    async enqueue(message: MailMessage): Promise<void> {
      const to = message.to.trim();
      if (to.length > MAX_ADDRESS || !ADDRESS.test(to)) {
        logger.warning("Not sending mail to an invalid address {to}", { to: to.slice(0, 80) });
        return;
      }
      // A line break in a subject would start a new header.
      const subject = message.subject
        .replace(/[\r\n\t]+/g, " ")
        .trim()
        .slice(0, MAX_SUBJECT);
      const text = message.text.slice(0, MAX_MAIL_TEXT);
      const id = randomUUID();
      try {
        await deps.store.enqueueMail({ id, to, subject, text, createdAt: deps.clock() });
        logger.info("Queued mail {id} to {to}: {subject}", { id, to, subject });
        deps.enqueued?.();
      } catch (error) {
        // The staff action that wanted this mail has succeeded; losing the notice is logged.
        logger.error("Could not queue mail to {to}: {error}", { to, subject, error });
      }
    },
  };
}
