import type { Federation } from "@fedify/fedify";
import type { FederationDeps } from "./deps.ts";

/** Reported as NodeInfo `software.version`; kept in step with package.json by hand. */
export const SOFTWARE_VERSION = "0.1.0";

export function registerNodeInfo(federation: Federation<void>, deps: FederationDeps): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", () => ({
    software: {
      name: "loa",
      version: SOFTWARE_VERSION,
      homepage: new URL(deps.urls.home()),
    },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: deps.content.published(deps.clock?.() ?? new Date()).length,
      localComments: 0,
    },
    metadata: { nodeName: deps.content.current().site.title },
  }));
}
