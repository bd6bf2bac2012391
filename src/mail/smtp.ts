/**
 * Sending one message through the mail server of `SMTP_URL` with nodemailer.
 * Every wait is short and bounded, so a server that accepts and then says
 * nothing holds the sender loop for seconds, never anything else.
 */
import nodemailer from "nodemailer";
import type { MailMessage } from "./types.ts";

/** Hands one message to a mail server; rejects when it is not accepted. */
export type MailTransport = (message: MailMessage) => Promise<void>;

export interface SmtpOptions {
  url: URL;
  from: string;
  /** Bound on each wait (connection, greeting, any silence on the socket). Default 10 s. */
  timeoutMs?: number;
}

export function smtpTransport(options: SmtpOptions): {
  send: MailTransport;
  close(): void;
} {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { url } = options;
  const secure = url.protocol === "smtps:";
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    // The URL keeps its user and password percent-encoded.
    ...(url.username || url.password
      ? {
          auth: {
            user: decodeURIComponent(url.username),
            pass: decodeURIComponent(url.password),
          },
        }
      : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    close: () => transport.close(),
  };
}
