/**
 * The path-template compiler: a template of `urls.ts` (`/articles/{slug}`,
 * `/media/{+path}`) as a matcher of request paths and as a Hono pattern, so
 * routes, Fedify's dispatch checks and the fast path all read the one spelling.
 */

/** A route's parameters, percent-decoded. */
export type Params = Readonly<Record<string, string>>;

/** A template in Hono's pattern syntax: `{name}` → `:name`, `{+name}` → `*`. */
export function honoPattern(template: string): string {
  return template.replace(/\{\+\w+\}/g, "*").replace(/\{(\w+)\}/g, ":$1");
}

/** Matches a path against a template, giving its parameters. */
export interface PathMatcher {
  template: string;
  /** The decoded parameters, or null when the path does not match (or cannot be decoded). */
  match(path: string): Params | null;
}

/**
 * Compiles a template. `segment` is what one `{name}` may match: any segment
 * by default; the fast path passes characters that need no decoding.
 */
export function pathMatcher(template: string, segment = "[^/]+"): PathMatcher {
  const names: string[] = [];
  const source = template
    .split(/(\{\+?\w+\})/)
    .map((part) => {
      const param = /^\{(\+?)(\w+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[2] ?? "");
      return param[1] ? "(.+)" : `(${segment})`;
    })
    .join("");
  const regex = new RegExp(`^${source}$`);
  return {
    template,
    match(path) {
      const m = regex.exec(path);
      if (!m) return null;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? "");
        });
      } catch {
        return null;
      }
      return params;
    },
  };
}
