import type { Rendered } from "./conditional.ts";

/**
 * Rendered bodies for one content version: cleared whenever the content
 * changes, bounded so a crawler walking a large archive cannot grow it without
 * limit (least recently used entries go first). `T` is one body, or the
 * bodies rendered together (a feed's three formats).
 */
export class RenderCache<T = Rendered> {
  readonly #max: number;
  #version = -1;
  #entries = new Map<string, T>();
  /** The most recently used key: asked again, it needs no reordering. */
  #newest: string | undefined;

  constructor(max = 512) {
    this.#max = max;
  }

  get(version: number, key: string, render: () => T): T {
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
      this.#newest = undefined;
    }
    const hit = this.#entries.get(key);
    if (hit) {
      // A page under load is asked for again and again: moving it to the end
      // each time rewrote the map's table on every request.
      if (key !== this.#newest) {
        this.#entries.delete(key);
        this.#entries.set(key, hit);
        this.#newest = key;
      }
      return hit;
    }
    const fresh = render();
    this.#entries.set(key, fresh);
    this.#newest = key;
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return fresh;
  }
}
