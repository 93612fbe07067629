// Query strings carry raw bytes (info_hash, peer_id): they are percent-encoded byte by byte,
// never as UTF-8 text, so `encodeURIComponent` and `URLSearchParams` cannot be used.

const HEX = '0123456789ABCDEF';

function unreserved(b: number): boolean {
  // RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
}

/** Every byte outside RFC 3986's unreserved set as `%XX`. */
export function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += unreserved(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The bytes a query component stands for: `%XX` is one byte, `+` a space (form encoding),
 * anything else its own code unit. `undefined` for a `%` not followed by two hex digits, or a
 * character beyond Latin-1 (never produced by a conforming client).
 */
export function percentDecode(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else if (c === 0x2b) {
      out[n++] = 0x20;
    } else if (c > 0xff) {
      return undefined;
    } else {
      out[n++] = c;
    }
  }
  return out.slice(0, n);
}
