// Who sent the bad data. A piece that fails its hash check was often built from several
// peers' blocks, and striking them all would ban honest peers that happened to share a piece
// with a liar. So the failed copy is kept: once the piece passes, each block of the failed
// copy that differs from the good one names its sender exactly. A piece that one peer sent
// alone is that peer's fault at once.

// Failed copies kept at most (the oldest is dropped): memory stays bounded under attack.
const MAX_KEPT = 8;

interface FailedCopy {
  readonly data: Uint8Array;
  readonly senders: readonly (string | undefined)[];
}

export class HashFailures {
  readonly #kept = new Map<number, FailedCopy>();
  readonly #blockLength: number;

  constructor(blockLength: number) {
    this.#blockLength = blockLength;
  }

  /**
   * A piece failed. Returns the peers to blame now: the sole sender, if one peer sent it all;
   * otherwise nobody yet, and the copy is kept for `verified`.
   */
  failed(piece: number, data: Uint8Array, senders: readonly (string | undefined)[]): string[] {
    const distinct = new Set(senders.filter((s): s is string => s !== undefined));
    if (distinct.size <= 1) return [...distinct];
    this.#kept.delete(piece);
    if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
    this.#kept.set(piece, { data, senders });
    return [];
  }

  /** The piece passed: the senders of blocks that differed in a failed copy of it, once each block. */
  verified(piece: number, good: Uint8Array): string[] {
    const copy = this.#kept.get(piece);
    if (copy === undefined) return [];
    this.#kept.delete(piece);
    const guilty = new Set<string>();
    copy.senders.forEach((sender, block) => {
      if (sender === undefined) return;
      const begin = block * this.#blockLength;
      const end = Math.min(begin + this.#blockLength, good.length);
      if (!Buffer.from(copy.data.buffer, copy.data.byteOffset + begin, end - begin).equals(Buffer.from(good.buffer, good.byteOffset + begin, end - begin))) guilty.add(sender);
    });
    return [...guilty];
  }
}
