/**
 * Whether a callback may be called: WebSub makes the hub send requests to
 * any URL a stranger names, so a callback on loopback, a private network or
 * a link-local address (the cloud metadata service) is refused unless
 * `ALLOW_PRIVATE_ADDRESS` is set. Checked when the subscription is asked for
 * and again before every request (the name may resolve elsewhere by then).
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Resolves a host name to every address it has (`dns.lookup(host, { all: true })`). */
export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

function privateRanges(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 3],
  ] as const) {
    list.addSubnet(net, prefix, "ipv4");
  }
  for (const [net, prefix] of [
    ["::", 128],
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
  ] as const) {
    list.addSubnet(net, prefix, "ipv6");
  }
  return list;
}

/** True for loopback, private, link-local, unique-local, multicast and reserved addresses. */
export function isPrivateAddress(address: string, ranges: BlockList = privateRanges()): boolean {
  const family = isIP(address);
  if (family === 4) return ranges.check(address, "ipv4");
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 one.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return ranges.check(mapped[1], "ipv4");
  return ranges.check(address, "ipv6");
}

/** Checks a callback URL's host; the reason names it when it may not be called. */
export interface AddressGuard {
  /** Null when `url` may be called, else why not. */
  refusal(url: URL): Promise<string | null>;
}

export function createAddressGuard(allowPrivate: boolean, lookup: Lookup): AddressGuard {
  const ranges = privateRanges();
  return {
    async refusal(url) {
      if (allowPrivate) return null;
      const host = url.hostname.replace(/^\[|\]$/g, "");
      let addresses: { address: string }[];
      try {
        addresses = isIP(host) ? [{ address: host }] : await lookup(host);
      } catch {
        return `the host ${host} does not resolve`;
      }
      if (addresses.length === 0) return `the host ${host} does not resolve`;
      const bad = addresses.find((a) => isPrivateAddress(a.address, ranges));
      return bad ? `${host} is on a private or loopback address (${bad.address})` : null;
    },
  };
}
