// The rival has no bundled types; only what the benchmark calls.
declare module 'bencode' {
  const bencode: { decode(bytes: Uint8Array): unknown; encode(value: unknown): Uint8Array };
  export default bencode;
}
