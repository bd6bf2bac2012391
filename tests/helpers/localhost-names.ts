/**
 * Preloaded into a test server (`NODE_OPTIONS=--import=…`): every name under
 * `localhost` resolves to loopback, as RFC 6761 says it should and as
 * systemd's resolver does, though this machine's does not. Lets a test run
 * peers on subdomains (`a.b.localhost`) without touching the system.
 */
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";

type Lookup = typeof dns.lookup;
const original: Lookup = dns.lookup;

function lookup(hostname: string, ...rest: unknown[]): void {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  const target = name.endsWith(".localhost") ? "localhost" : hostname;
  (original as (...args: unknown[]) => void)(target, ...rest);
}

dns.lookup = lookup as Lookup;
// Named imports (`import { lookup } from "node:dns"`, as the pinned connector's) too.
syncBuiltinESMExports();
