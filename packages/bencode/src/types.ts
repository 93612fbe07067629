/** A bencoded dictionary decoded as a plain object (the default). */
export interface BencodeDictionary {
  [key: string]: BencodeValue;
}

/** A bencoded dictionary decoded as a `Map` (the `dictionaries: 'map'` option). */
export type BencodeMap = Map<string, BencodeValue>;

/**
 * What `decode` returns: byte strings as `Uint8Array`, integers as `number` while they are
 * safe and `bigint` beyond, lists as arrays, dictionaries as objects or maps.
 */
export type BencodeValue = Uint8Array | number | bigint | BencodeValue[] | BencodeDictionary | BencodeMap;

/**
 * What `encode` accepts: everything `decode` returns, plus strings (written as UTF-8) and
 * read-only arrays and records of them.
 */
export type Encodable =
  | Uint8Array
  | string
  | number
  | bigint
  | readonly Encodable[]
  | ReadonlyMap<string | Uint8Array, Encodable>
  | { readonly [key: string]: Encodable };

/** A byte range `[start, end)` of the decoded input. */
export interface Span {
  readonly start: number;
  readonly end: number;
}
