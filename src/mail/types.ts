/**
 * The newsroom's outgoing e-mail, as the parts that send it see it: a message
 * is handed to a queue and the staff action that caused it goes on at once.
 * The queue keeps it durably, sends it in the background and retries; a
 * refusing or hanging mail server never blocks or fails the action.
 */

/** One plain-text message to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text in the site's language; links are absolute URLs on ORIGIN. */
  text: string;
}

/** Where the newsroom hands its mail. */
export interface MailQueue {
  /**
   * Keeps `message` for sending and returns; never throws for a mail server's
   * sake (a storage failure is logged, not raised to the staff action).
   */
  enqueue(message: MailMessage): Promise<void>;
}

/** The queue when `SMTP_URL` is unset: mail is off, nothing is kept. */
export const NO_MAIL: MailQueue = { enqueue: async () => {} };
