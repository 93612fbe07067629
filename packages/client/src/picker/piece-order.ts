/** Highest piece priority; 0 means "skip", so members of the order have 1..MAX_PRIORITY. */
export const MAX_PRIORITY = 7;

/**
 * Availabilities at or above this count as equally common. Telling 130 copies from 500 buys
 * nothing, and the cap keeps the bucket table small (see NOTES.md).
 */
export const AVAILABILITY_CAP = 128;

const KEY_COUNT = MAX_PRIORITY * AVAILABILITY_CAP;

/** The sort key: higher priority first, then rarer first. */
export function orderKey(priority: number, availability: number): number {
  return (MAX_PRIORITY - priority) * AVAILABILITY_CAP + Math.min(availability, AVAILABILITY_CAP - 1);
}

/**
 * The pieces still wanted, in one array sorted by key and cut into buckets of equal key.
 * A key change of one step is one swap with a bucket edge, so a HAVE costs O(1) and the
 * rarest pieces are always at the front. See NOTES.md.
 */
export class PieceOrder {
  readonly #order: Int32Array;
  readonly #pos: Int32Array;
  readonly #key: Uint16Array;
  // #start[k] is the first index of bucket k; #start[KEY_COUNT] is the end of the array.
  readonly #start = new Int32Array(KEY_COUNT + 1);

  constructor(pieceCount: number) {
    this.#order = new Int32Array(pieceCount);
    this.#pos = new Int32Array(pieceCount).fill(-1);
    this.#key = new Uint16Array(pieceCount);
  }

  static get keyCount(): number {
    return KEY_COUNT;
  }

  get size(): number {
    return this.#start[KEY_COUNT]!;
  }

  has(piece: number): boolean {
    return this.#pos[piece] !== -1;
  }

  keyOf(piece: number): number {
    return this.#key[piece]!;
  }

  /** The piece at a position of the sorted array. */
  at(index: number): number {
    return this.#order[index]!;
  }

  bucketStart(key: number): number {
    return this.#start[key]!;
  }

  bucketEnd(key: number): number {
    return this.#start[key + 1]!;
  }

  /** Refills the order from scratch with a counting sort: O(pieces + keys). `keyOf` returns -1 to leave a piece out. */
  rebuild(keyOf: (piece: number) => number): void {
    const start = this.#start;
    start.fill(0);
    const pieceCount = this.#order.length;
    for (let piece = 0; piece < pieceCount; piece++) {
      const key = keyOf(piece);
      this.#pos[piece] = -1;
      if (key < 0) continue;
      this.#key[piece] = key;
      start[key + 1]!++;
    }
    for (let k = 1; k <= KEY_COUNT; k++) start[k]! += start[k - 1]!;
    // Place from the back of each bucket so that start[] ends up pointing at bucket fronts.
    const fill = start.slice(1);
    for (let piece = pieceCount - 1; piece >= 0; piece--) {
      const key = keyOf(piece);
      if (key < 0) continue;
      const at = --fill[key]!;
      this.#order[at] = piece;
      this.#pos[piece] = at;
    }
  }

  /** Moves a member to `key`, one bucket edge at a time. */
  setKey(piece: number, key: number): void {
    let current = this.#key[piece]!;
    if (this.#pos[piece] === -1 || current === key) return;
    while (current < key) this.#stepUp(piece, current++);
    while (current > key) this.#stepDown(piece, current--);
    this.#key[piece] = key;
  }

  /** Takes a member out (verified, or no longer wanted). */
  remove(piece: number): void {
    if (this.#pos[piece] === -1) return;
    // Walking up through every later bucket ends at the array's tail, which then shrinks.
    for (let k = this.#key[piece]!; k < KEY_COUNT; k++) this.#stepUp(piece, k);
    this.#pos[piece] = -1;
  }

  // key k -> k + 1: swap with the last of bucket k, which becomes the first of bucket k + 1.
  #stepUp(piece: number, k: number): void {
    const edge = --this.#start[k + 1]!;
    this.#swap(this.#pos[piece]!, edge);
  }

  // key k -> k - 1: swap with the first of bucket k, which becomes the last of bucket k - 1.
  #stepDown(piece: number, k: number): void {
    const edge = this.#start[k]!++;
    this.#swap(this.#pos[piece]!, edge);
  }

  #swap(a: number, b: number): void {
    if (a === b) return;
    const order = this.#order;
    const pa = order[a]!;
    const pb = order[b]!;
    order[a] = pb;
    order[b] = pa;
    this.#pos[pa] = b;
    this.#pos[pb] = a;
  }
}
