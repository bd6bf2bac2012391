/**
 * Addresses the server must never connect to on a stranger's behalf (peers'
 * keys and documents, WebSub callbacks) unless `ALLOW_PRIVATE_ADDRESS` is set:
 * every block of IANA's IPv4 and IPv6 Special-Purpose Address Registries
 * (loopback, private, shared, link-local with the cloud metadata service,
 * documentation, benchmarking, multicast, reserved), and IPv6 forms that carry
 * an IPv4 address (`::ffff:a.b.c.d`, `::a.b.c.d`, NAT64 `64:ff9b::/96`), judged
 * by the IPv4 address they carry.
 */
import { isIP } from "node:net";

type Net = readonly [prefix: bigint, bits: number];

const V4_SPECIAL: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // shared address space (carrier-grade NAT)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (169.254.169.254: cloud metadata)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation (TEST-NET-1)
  ["192.31.196.0", 24], // AS112-v4
  ["192.52.193.0", 24], // AMT
  ["192.88.99.0", 24], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["192.175.48.0", 24], // direct delegation AS112
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation (TEST-NET-2)
  ["203.0.113.0", 24], // documentation (TEST-NET-3)
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 (limited broadcast)
];

const V6_SPECIAL: readonly (readonly [string, number])[] = [
  ["::", 96], // unspecified, loopback, deprecated IPv4-compatible (::a.b.c.d)
  ["64:ff9b:1::", 48], // local-use IPv4/IPv6 translation
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (carries any IPv4 address)
  ["3fff::", 20], // documentation
  ["5f00::", 16], // SRv6 SIDs
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
];

/** IPv6 prefixes whose last 32 bits are an IPv4 address, judged as that address. */
const V6_CARRYING_V4: readonly (readonly [string, number])[] = [
  ["::ffff:0:0", 96], // IPv4-mapped
  ["64:ff9b::", 96], // NAT64 well-known prefix
];

function v4ToBigInt(address: string): bigint {
  return address.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

/** An IPv6 address in any textual form (`::`, embedded dotted IPv4) as a 128-bit number. */
function v6ToBigInt(address: string): bigint {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = v4ToBigInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(zeros).fill("0"), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g || "0", 16)), 0n);
}

function nets(list: readonly (readonly [string, number])[], width: number): Net[] {
  return list.map(([net, bits]) => {
    const value = width === 32 ? v4ToBigInt(net) : v6ToBigInt(net);
    return [value >> BigInt(width - bits), bits] as const;
  });
}

const V4 = nets(V4_SPECIAL, 32);
const V6 = nets(V6_SPECIAL, 128);
const V6_V4 = nets(V6_CARRYING_V4, 128);

function inAny(value: bigint, width: number, list: readonly Net[]): boolean {
  return list.some(([prefix, bits]) => value >> BigInt(width - bits) === prefix);
}

/**
 * True for any address in a special-purpose block (and for anything that is
 * not an IP address at all): only globally reachable unicast is false.
 */
export function isSpecialAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 4) return inAny(v4ToBigInt(bare), 32, V4);
  if (family !== 6) return true;
  const value = v6ToBigInt(bare);
  if (inAny(value, 128, V6_V4)) return inAny(value & 0xffffffffn, 32, V4);
  return inAny(value, 128, V6);
}
