// RFC 4648 base32, which BEP 9 allows for v1 info hashes in magnet links (32 characters, no padding).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes unpadded base32 (either case) whose length is a multiple of 8; `undefined` if it is not. */
export function fromBase32(text: string): Uint8Array | undefined {
  if (text.length % 8 !== 0) return undefined;
  const out = new Uint8Array((text.length / 8) * 5);
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const char of text.toUpperCase()) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** Encodes bytes (a multiple of 5 long) as upper-case unpadded base32. */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}
