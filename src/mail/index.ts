/**
 * The newsroom's mail as `main.ts` starts it: off (nothing kept) without
 * `SMTP_URL`; with it, the outbox queue, the review notices and this
 * process's sender loop.
 */
import { getLogger } from "@logtape/logtape";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { OutboxStore } from "../storage/outbox.ts";
import type { StaffStore } from "../storage/staff.ts";
import { type ArticleEvent, type ArticleNoticesDeps, articleNotices } from "./notices.ts";
import { createMailQueue } from "./queue.ts";
import { type MailRetry, startMailSender } from "./sender.ts";
import { smtpTransport } from "./smtp.ts";
import { type MailQueue, NO_MAIL } from "./types.ts";

const logger = getLogger(["loa", "mail"]);

export interface MailDeps extends Pick<ArticleNoticesDeps, "articleUrl" | "site"> {
  config: Pick<Config, "smtpUrl" | "mailFrom">;
  store: OutboxStore & Pick<StaffStore, "listStaff">;
  clock: Clock;
  /** Tests shorten the waits; the defaults suit a real server. */
  retry?: MailRetry;
  timeoutMs?: number;
  pollMs?: number;
}

export interface Mail {
  queue: MailQueue;
  /** The article service's notifier; undefined when mail is off. */
  notify: ((event: ArticleEvent) => Promise<void>) | undefined;
  /** Stops the sender loop (what is queued stays for the next start). */
  stop(): Promise<void>;
}

export function startMail(deps: MailDeps): Mail {
  const url = deps.config.smtpUrl;
  if (!url) return { queue: NO_MAIL, notify: undefined, stop: async () => {} };
  const transport = smtpTransport({
    url,
    from: deps.config.mailFrom,
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
  });
  const sender = startMailSender({
    store: deps.store,
    send: transport.send,
    clock: deps.clock,
    ...(deps.retry ? { retry: deps.retry } : {}),
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
    ...(deps.timeoutMs === undefined ? {} : { sendTimeoutMs: deps.timeoutMs * 4 }),
  });
  const queue = createMailQueue({ store: deps.store, clock: deps.clock, enqueued: sender.wake });
  // The URL's user and password stay out of the log.
  logger.info("Newsroom mail on: {server} from {from}", {
    server: `${url.protocol}//${url.host}`,
    from: deps.config.mailFrom,
  });
  return {
    queue,
    notify: articleNotices({ ...deps, mail: queue }),
    async stop() {
      await sender.stop();
      transport.close();
    },
  };
}
