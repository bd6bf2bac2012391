/**
 * A `Map` that empties itself when it is full: for answers that are cheap to
 * make again (a URL's route match, a tag's lookup key) and that must not grow
 * with what strangers ask for. Emptying, not evicting one entry: the hot keys
 * come back within a request each, and nothing is spent per hit on recency.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly limit: number;

  constructor(limit: number) {
    super();
    this.limit = limit;
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
