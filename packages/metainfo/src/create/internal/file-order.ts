// The one order of files in a torrent gtorr writes: by path, component by component,
// comparing the UTF-8 bytes of each component. BEP 52 requires it (a v2 file tree is a
// dictionary, whose keys are sorted as raw bytes, and a hybrid's v1 list must follow the
// tree), and it makes a v1 torrent of the same folder come out the same on every machine.
// Comparing whole joined paths would differ: "a-b" sorts before "a/b" as text, after it here.

/** `items` sorted by `pathOf(item)` in that order; a new array. Each path is encoded once. */
export function sortByPath<T>(items: readonly T[], pathOf: (item: T) => readonly string[]): T[] {
  const keyed = items.map((item) => ({ item, key: pathOf(item).map((component) => Buffer.from(component, 'utf8')) }));
  keyed.sort((a, b) => {
    const n = Math.min(a.key.length, b.key.length);
    for (let i = 0; i < n; i++) {
      const order = Buffer.compare(a.key[i]!, b.key[i]!);
      if (order !== 0) return order;
    }
    return a.key.length - b.key.length;
  });
  return keyed.map((k) => k.item);
}
