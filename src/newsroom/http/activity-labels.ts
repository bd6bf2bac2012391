/**
 * What each sent activity was, for people: "Bài mới: <title>" rather than
 * its id. Activity ids are built from the templates in `urls.ts`, so they
 * are read back with the same templates.
 */

import { pathMatcher } from "../../path-templates.ts";
import { PATHS } from "../../urls.ts";

const PROFILE = pathMatcher(PATHS.profileUpdate);
const ARTICLE_ACTIVITIES = [
  { matcher: pathMatcher(PATHS.createActivity), label: "Bài mới" },
  { matcher: pathMatcher(PATHS.updateActivity), label: "Sửa bài" },
  { matcher: pathMatcher(PATHS.deleteActivity), label: "Gỡ bài" },
] as const;

/**
 * Labels for the activities among `activityIds` that are ours and about an
 * article (its title from `titles`, else its slug) or the town's profile;
 * others are left out (the page shows their id).
 */
export function activityLabels(
  activityIds: readonly string[],
  origin: URL,
  titles: ReadonlyMap<string, string>,
): Map<string, string> {
  const labels = new Map<string, string>();
  for (const id of activityIds) {
    const url = URL.parse(id);
    if (url === null || url.origin !== origin.origin) continue;
    if (PROFILE.match(url.pathname)) {
      labels.set(id, "Cập nhật hồ sơ của tài khoản thị xã");
      continue;
    }
    for (const { matcher, label } of ARTICLE_ACTIVITIES) {
      const slug = matcher.match(url.pathname)?.slug;
      if (slug !== undefined) {
        labels.set(id, `${label}: ${titles.get(slug) ?? slug}`);
        break;
      }
    }
  }
  return labels;
}
