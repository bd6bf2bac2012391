import type { Federation } from "@fedify/fedify";
import packageJson from "../../package.json" with { type: "json" };
import { PATHS } from "../urls.ts";
import type { FederationDeps } from "./deps.ts";
import type { RequestData } from "./request-data.ts";

/** Reported as NodeInfo `software.version` and in the User-Agent: package.json's. */
export const SOFTWARE_VERSION: string = packageJson.version;

export function registerNodeInfo(federation: Federation<RequestData>, deps: FederationDeps): void {
  federation.setNodeInfoDispatcher(PATHS.nodeInfo, () => ({
    software: {
      name: "loa",
      version: SOFTWARE_VERSION,
      homepage: new URL(deps.urls.home()),
    },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: deps.content.published(deps.clock()).length,
      localComments: 0,
    },
    metadata: { nodeName: deps.content.current().site.title },
  }));
}
