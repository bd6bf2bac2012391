import type { Federation } from "@fedify/fedify";
import { Endpoints, Image, Organization, PropertyValue } from "@fedify/fedify/vocab";
import { imageMediaType } from "../content/media.ts";
import { toInstant } from "../publish/temporal.ts";
import { escapeHtml } from "../text/escape.ts";
import { PATHS } from "../urls.ts";
import { actorIdentifier, type FederationDeps } from "./deps.ts";
import { readMove } from "./move.ts";
import type { RequestData } from "./request-data.ts";

function toImage(deps: FederationDeps, pathOrUrl: string | undefined): Image | null {
  if (!pathOrUrl) return null;
  const url = new URL(deps.urls.absolute(pathOrUrl));
  return new Image({ url, mediaType: imageMediaType(url.pathname) ?? null });
}

/** Links from `site.yml` as profile fields, the way Mastodon shows them. */
function toFields(deps: FederationDeps): PropertyValue[] {
  return deps.content.current().site.links.map((link) => {
    const shown = link.url.replace(/^https?:\/\//, "").replace(/\/$/, "");
    return new PropertyValue({
      name: link.name,
      value: `<a href="${escapeHtml(link.url)}" rel="me nofollow noopener" target="_blank">${escapeHtml(shown)}</a>`,
    });
  });
}

/**
 * The one actor: an `Organization` at `/users/{identifier}`, found by
 * WebFinger as `acct:{username}@{host}` (the username in any case, as
 * Mastodon finds accounts) or by its profile page's URL. Keys: RSA first (the
 * `publicKey` HTTP Signatures use), Ed25519 second (the `assertionMethod` for
 * proofs). `alsoKnownAs` lists the town's earlier accounts (so they can move
 * here); after `npm run move`, `movedTo` names the new one, and the actor
 * keeps answering so followers' servers can follow it there.
 */
export function registerActor(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation
    .setActorDispatcher(PATHS.actor, async (ctx, identifier) => {
      if (identifier !== actorIdentifier(deps)) return null;
      const site = deps.content.current().site;
      const { urls } = deps;
      const keys = await ctx.getActorKeyPairs(identifier);
      const moved = await readMove(deps.kv);
      const summary = site.actor.summary
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
        .join("");
      return new Organization({
        id: new URL(urls.actor(identifier)),
        preferredUsername: identifier,
        name: site.actor.name,
        summary,
        url: new URL(urls.home()),
        inbox: new URL(urls.inbox(identifier)),
        outbox: new URL(urls.outbox(identifier)),
        followers: new URL(urls.followers(identifier)),
        following: new URL(urls.following(identifier)),
        featured: new URL(urls.featured(identifier)),
        featuredTags: new URL(urls.featuredTags(identifier)),
        aliases: (site.actor.aliases ?? []).map((alias) => new URL(alias)),
        successor: moved ? new URL(moved.target) : null,
        endpoints: new Endpoints({ sharedInbox: new URL(urls.sharedInbox()) }),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.slice(1).map((pair) => pair.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
        indexable: true,
        published: deps.keys.createdAt ? toInstant(deps.keys.createdAt) : null,
        icon: toImage(deps, site.actor.icon),
        image: toImage(deps, site.actor.image),
        attachments: toFields(deps),
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) =>
      identifier === actorIdentifier(deps) ? [deps.keys.rsa, deps.keys.ed25519] : [],
    )
    .mapHandle((_ctx, username) => {
      const identifier = actorIdentifier(deps);
      // Usernames are lowercase (site.ts checks), and Mastodon matches them case-insensitively.
      return username.toLowerCase() === identifier ? identifier : null;
    })
    .mapAlias((_ctx, resource) =>
      resource.href === deps.urls.home() ? { identifier: actorIdentifier(deps) } : null,
    );
}

/** JSON-LD context entry for `attributionDomains` (Mastodon's `toot:` term). */
const ATTRIBUTION_CONTEXT = {
  toot: "http://joinmastodon.org/ns#",
  attributionDomains: { "@id": "toot:attributionDomains", "@type": "@id" },
};

/**
 * Finishes the actor document as peers read it. Adds `attributionDomains`
 * (which Fedify's vocabulary does not model yet), so Mastodon shows the
 * `fediverse:creator` byline on link previews of this site's pages. Writes
 * `alsoKnownAs` as an array also with one alias: JSON-LD compaction makes a
 * one-element array a plain string, which means the same in JSON-LD, but
 * snac (and any reader of plain JSON) takes only an array, and cannot follow
 * a `Move` here without it. Mastodon writes an array too.
 */
export function withAttributionDomains(json: Record<string, unknown>, host: string): unknown {
  const context = json["@context"];
  const contexts = Array.isArray(context) ? context : context == null ? [] : [context];
  const aliases = json.alsoKnownAs;
  return {
    ...json,
    "@context": [...contexts, ATTRIBUTION_CONTEXT],
    ...(aliases == null ? {} : { alsoKnownAs: Array.isArray(aliases) ? aliases : [aliases] }),
    attributionDomains: [host],
  };
}
