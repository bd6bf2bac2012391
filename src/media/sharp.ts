/**
 * sharp, loaded on the first picture: libvips and its JavaScript are about
 * 8 MiB resident, which a server that is not handed a picture (most of the
 * time, and always in a delivery thread) does without.
 */
type Sharp = typeof import("sharp").default;

let loading: Promise<Sharp> | null = null;

export function loadSharp(): Promise<Sharp> {
  loading ??= import("sharp").then((module) => module.default);
  return loading;
}
