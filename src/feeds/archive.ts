/**
 * The site's complete history as RFC 5005 §4 archived feeds: one archive per
 * calendar month (in the site's time zone) that has published articles, each
 * holding all of that month's articles. Together the archives hold every
 * published article exactly once; the subscription feeds link the newest one.
 *
 * An archive must stay byte-for-byte the same while nothing of its own
 * changes (clients may never fetch it again, and the HTTP layer hashes the
 * bytes for its ETag; a portal that caches by validator would refetch every
 * month otherwise), so a month's document is built from its own articles, the
 * site settings it shows and its older neighbour's name only: its `updated`
 * is the newest change among its own articles, never "now". It links no
 * `next-archive` (RFC 5005 makes it optional): the newer neighbour is the one
 * link a later article changes (the newest month would gain it when the first
 * article of a new month appears), and clients walk from the subscription
 * feed back along `prev-archive` anyway. Only a back-dated article in a month
 * that was empty moves a `prev-archive` link, the newer neighbour's.
 */
import type { Article, Site } from "../content/types.ts";
import type { Urls } from "../urls.ts";
import { type FeedHistory, prepareFeed } from "./entries.ts";
import { feedLinks, type RenderedFeeds, writeFeeds } from "./render.ts";

/** The published articles grouped by month: what every archive document is made of. */
export interface ArchiveIndex {
  /** Months with at least one article, newest first, as `"2021-03"`. */
  months: string[];
  /** Each month's articles, newest first (the order they were given in). */
  byMonth: Map<string, Article[]>;
}

/**
 * Groups `articles` (published, newest first) by the month their `published`
 * falls in, in `timezone` (an IANA zone, e.g. `Asia/Ho_Chi_Minh`): an article
 * published at 01:00 on 1 April in Cửa Lò is April's, though it is still March
 * in UTC. Articles without a real `published` date are left out, as the feeds
 * leave them out. Linear in the number of articles: cheap enough to build once
 * per content version.
 */
export function archiveIndex(articles: readonly Article[], timezone: string): ArchiveIndex {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    calendar: "gregory",
    numberingSystem: "latn",
  });
  const byMonth = new Map<string, Article[]>();
  for (const article of articles) {
    if (Number.isNaN(article.published.getTime())) continue;
    const month = monthOf(article.published, format);
    const bucket = byMonth.get(month);
    if (bucket) bucket.push(article);
    else byMonth.set(month, [article]);
  }
  // "YYYY-MM" sorts as text in time order.
  const months = [...byMonth.keys()].sort().reverse();
  return { months, byMonth };
}

function monthOf(date: Date, format: Intl.DateTimeFormat): string {
  let year = "";
  let month = "";
  for (const part of format.formatToParts(date)) {
    if (part.type === "year") year = part.value;
    else if (part.type === "month") month = part.value;
  }
  return `${year.padStart(4, "0")}-${month}`;
}

/** One month of the index with its non-empty neighbours: the input of {@link renderArchive}. */
export interface ArchiveMonth {
  month: string;
  /** The month's articles, newest first. */
  articles: Article[];
  /** The next older month with articles (`prev-archive`, JSON Feed `next_url`). */
  prevMonth?: string;
  /**
   * The next newer month with articles. Not linked from the document (see
   * above); the HTTP layer caches every month but the newest for longer.
   */
  nextMonth?: string;
}

/**
 * The month `month` (`"2021-03"`) of the index, ready for {@link renderArchive}
 * (`renderArchive({ site, urls, ...archiveMonth(index, month) })`);
 * `undefined` when that month has no article (the HTTP layer answers 404).
 */
export function archiveMonth(index: ArchiveIndex, month: string): ArchiveMonth | undefined {
  const articles = index.byMonth.get(month);
  if (!articles) return undefined;
  const at = index.months.indexOf(month);
  const out: ArchiveMonth = { month, articles };
  const prevMonth = index.months[at + 1];
  const nextMonth = at > 0 ? index.months[at - 1] : undefined;
  if (prevMonth !== undefined) out.prevMonth = prevMonth;
  if (nextMonth !== undefined) out.nextMonth = nextMonth;
  return out;
}

/**
 * The month named by the path segments of `/archives/{yyyy}/{mm}/…`, as the
 * index names it (`"2021" , "03"` → `"2021-03"`); `undefined` for anything
 * that is not a four-digit year and a two-digit month.
 */
export function parseArchiveMonth(year: string, month: string): string | undefined {
  return /^\d{4}$/.test(year) && /^(0[1-9]|1[0-2])$/.test(month) ? `${year}-${month}` : undefined;
}

/** What {@link renderArchive} needs: the site, and one {@link ArchiveMonth}. */
export interface RenderArchiveInput extends ArchiveMonth {
  site: Site;
  urls: Urls;
}

/**
 * The archive documents of one month in RSS 2.0, Atom and JSON Feed: marked
 * `fh:archive`, linking `self`, `current` (the subscription feed of the same
 * format) and their `prev-archive` neighbour, never `next-archive` (see
 * above); JSON Feed's `next_url` is the next older month's document. Every
 * article of the month, newest first (no FEED_LIMIT). `updated` is the newest
 * change among the month's own articles.
 */
export function renderArchive(input: RenderArchiveInput): RenderedFeeds {
  const { urls, month, prevMonth } = input;
  const { channel, entries } = prepareFeed({ ...input, limit: Number.POSITIVE_INFINITY });
  const history: FeedHistory = {
    archive: true,
    current: { rss: urls.rss(), atom: urls.atom(), json: urls.jsonFeed() },
  };
  if (prevMonth !== undefined) history.prevArchive = feedLinks((k) => urls.archive(k, prevMonth));
  return writeFeeds(
    {
      ...channel,
      // The Atom id stays the site's (channel.home): RFC 5005 archives are
      // pieces of one logical feed, which readers rebuild by that id.
      title: `${channel.title} — ${month}`,
      ...feedLinks((kind) => urls.archive(kind, month)),
      history,
    },
    entries,
  );
}
