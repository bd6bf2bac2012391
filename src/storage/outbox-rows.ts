/** Rows of the mail outbox, read back the same on both backends. */
import type { OutboxMail } from "./outbox.ts";
import type { ReadTime } from "./rows.ts";

export interface OutboxRow<T> {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: T;
  attempts: number;
  last_error: string | null;
}

export function toMail<T>(row: OutboxRow<T>, time: ReadTime<T>): OutboxMail {
  return {
    id: row.id,
    to: row.recipient,
    subject: row.subject,
    text: row.body,
    createdAt: time(row.created_at),
    attempts: row.attempts,
  };
}
