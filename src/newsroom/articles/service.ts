/**
 * The article service the editor's routes call: role rules, validation,
 * conflicts and state changes, each applied by the store in one transaction
 * with its audit row.
 */
import type { Clock } from "../../clock.ts";
import type { ContentSource } from "../../content/types.ts";
import type { ArticleStore } from "../../storage/articles.ts";
import type { ArticleService } from "./types.ts";

/** A picture as the media store describes it (the `media` helper's lookup). */
export interface PictureInfo {
  src: string;
  srcset: string;
  width: number;
  height: number;
  mediaType: string;
  alt: string;
}

/** Looks a picture up by id; null when there is none. */
export type PictureLookup = (id: string) => Promise<PictureInfo | null>;

export interface ArticleServiceDeps {
  store: ArticleStore;
  clock: Clock;
  /** File articles (their slugs are taken; they are listed read-only) and the site's timezone and language. */
  content: Pick<ContentSource, "current">;
  pictures: PictureLookup;
  /** Called after a change that alters what readers see, so every page shows it at once. */
  changed?: () => void;
}

export function createArticleService(deps: ArticleServiceDeps): ArticleService {
  void deps;
  throw new Error("the article service is being written");
}
