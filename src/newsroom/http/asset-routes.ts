/**
 * The article form's scripts, served from our own origin (the CSP allows no
 * other): our enhancements under `src/newsroom/assets/`, and turndown and its
 * GFM plugin from `node_modules` as ES modules. There is no build step, so
 * the files are read once at start and served from memory. They hold no
 * secret and are served without a session (a script is fetched without one
 * on the login page's way back, too), revalidated by ETag.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Env, Hono } from "hono";
import { NEWSROOM_ASSETS } from "../pages/paths.ts";

const require = createRequire(import.meta.url);
const OWN = join(import.meta.dirname, "../assets");

function packageFile(name: string, file: string): string {
  return readFileSync(join(dirname(require.resolve(`${name}/package.json`)), file), "utf8");
}

/**
 * The GFM plugin ships CommonJS only (no `require` inside, only `exports.x =`):
 * given an `exports` object and re-exported, it is an ES module.
 */
function commonJsAsModule(source: string, names: readonly string[]): string {
  // In a function of its own, so its top-level names cannot clash with the exports.
  return `const cjs = {};\n(function (exports) {\n${source}\n})(cjs);\n${names
    .map((name) => `export const ${name} = cjs.${name};`)
    .join("\n")}\n`;
}

interface Asset {
  body: string;
  etag: string;
}

function loadAssets(): ReadonlyMap<string, Asset> {
  const sources: Record<string, string> = {
    "editor.js": readFileSync(join(OWN, "editor.js"), "utf8"),
    "markdown-edit.js": readFileSync(join(OWN, "markdown-edit.js"), "utf8"),
    "paste.js": readFileSync(join(OWN, "paste.js"), "utf8"),
    "live-preview.js": readFileSync(join(OWN, "live-preview.js"), "utf8"),
    "turndown.js": packageFile("turndown", "lib/turndown.browser.es.js"),
    "turndown-gfm.js": commonJsAsModule(
      packageFile("@joplin/turndown-plugin-gfm", "lib/turndown-plugin-gfm.cjs.js"),
      ["gfm", "tables", "strikethrough", "taskListItems", "highlightedCodeBlock"],
    ),
  };
  return new Map(
    Object.entries(sources).map(([name, body]) => [
      name,
      { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` },
    ]),
  );
}

/** Whether a path is one of the newsroom's scripts (cached, unlike staff pages). */
export function isAssetPath(path: string): boolean {
  return path.startsWith(NEWSROOM_ASSETS);
}

/** Registers `GET /admin/assets/{name}.js`; registered before the staff guard. */
export function assetRoutes<E extends Env>(app: Hono<E>): void {
  const assets = loadAssets();
  app.get(`${NEWSROOM_ASSETS}:name`, (c) => {
    const asset = assets.get(c.req.param("name"));
    if (asset === undefined) return c.text("Not found", 404);
    c.header("Cache-Control", "no-cache");
    c.header("ETag", asset.etag);
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304);
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(asset.body);
  });
}
