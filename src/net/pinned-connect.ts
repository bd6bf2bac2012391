/**
 * The address checked is the address connected to: a connector for undici's
 * `Agent` that resolves the host itself, drops special-purpose addresses
 * (`special-addresses.ts`) and hands the socket only what is left, so a name
 * that answered a public address to an earlier check and a loopback one now
 * (DNS rebinding) is never connected to loopback. IP literals, which
 * `net.connect` does not look up, are checked here too.
 */
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";
import { buildConnector } from "undici";
import { isSpecialAddress } from "./special-addresses.ts";

/** Resolves a host name to every address it has (`dns.lookup(host, { all: true })`). */
export type Lookup = (host: string) => Promise<LookupAddress[]>;

export const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** Why connecting to a special address was refused (its `code` is for logs and tests). */
export class SpecialAddressError extends Error {
  code = "ERR_SPECIAL_ADDRESS";
  constructor(host: string, address: string) {
    super(`${host} is on a private, loopback or reserved address (${address}); not connecting`);
    this.name = "SpecialAddressError";
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `net.connect` `lookup` that resolves with `lookup` and keeps public addresses only. */
export function publicOnlyLookup(lookup: Lookup) {
  return (
    host: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: LookupCallback,
  ): void => {
    lookup(host).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const fitting = all.filter((a) => wanted === 0 || a.family === wanted);
        const usable = fitting.filter((a) => !isSpecialAddress(a.address));
        const first = usable[0];
        if (first === undefined) {
          const refused = fitting[0];
          const error: NodeJS.ErrnoException = refused
            ? new SpecialAddressError(host, refused.address)
            : Object.assign(new Error(`${host} does not resolve`), { code: "ENOTFOUND" });
          callback(error, options.all ? [] : "", 0);
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : "", 0),
    );
  };
}

export interface PinnedConnectOptions {
  /** Connecting (TCP and TLS) must finish within this. */
  timeoutMs: number;
  /** Connect to special addresses too (`ALLOW_PRIVATE_ADDRESS`). */
  allowPrivate: boolean;
  /** Default: the system resolver. */
  lookup?: Lookup;
}

/** The `connect` option of an undici `Agent`: connects only to public addresses. */
export function pinnedConnector(options: PinnedConnectOptions): buildConnector.connector {
  if (options.allowPrivate) {
    return buildConnector({ timeout: options.timeoutMs });
  }
  const connect = buildConnector({
    timeout: options.timeoutMs,
    lookup: publicOnlyLookup(options.lookup ?? systemLookup),
  } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) !== 0 && isSpecialAddress(host)) {
      callback(new SpecialAddressError(host, host), null);
      return;
    }
    connect(opts, callback);
  };
}
