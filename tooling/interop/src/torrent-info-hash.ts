import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The v1 info hash (40 lowercase hex digits) of a .torrent file: the SHA-1 of its `info`
 * value's bytes as they are in the file. A reader of its own, just enough to find that span:
 * @gtorr/interop stays free of the packages it tests.
 */
export function torrentInfoHash(torrentPath: string): string {
  const bytes = readFileSync(torrentPath);
  if (bytes[0] !== 0x64) throw new Error(`${torrentPath}: not a bencoded dictionary`);
  let at = 1;
  while (at < bytes.length && bytes[at] !== 0x65) {
    const keyEnd = skipValue(bytes, at, torrentPath);
    const key = bytes.toString('latin1', bytes.indexOf(0x3a, at) + 1, keyEnd);
    const valueEnd = skipValue(bytes, keyEnd, torrentPath);
    if (key === 'info') return createHash('sha1').update(bytes.subarray(keyEnd, valueEnd)).digest('hex');
    at = valueEnd;
  }
  throw new Error(`${torrentPath}: no info dictionary`);
}

/** Where the bencoded value that starts at `at` ends. */
function skipValue(bytes: Buffer, at: number, path: string): number {
  const bad = () => new Error(`${path}: bad bencode at byte ${at}`);
  const first = bytes[at];
  if (first === 0x69) {
    // i<digits>e
    const end = bytes.indexOf(0x65, at);
    if (end < 0) throw bad();
    return end + 1;
  }
  if (first === 0x6c || first === 0x64) {
    // l<values>e, d<key value ...>e
    let next = at + 1;
    while (next < bytes.length && bytes[next] !== 0x65) next = skipValue(bytes, next, path);
    if (next >= bytes.length) throw bad();
    return next + 1;
  }
  // <length>:<bytes>
  const colon = bytes.indexOf(0x3a, at);
  const digits = colon < 0 ? '' : bytes.toString('latin1', at, colon);
  if (!/^\d+$/.test(digits) || colon + 1 + Number(digits) > bytes.length) throw bad();
  return colon + 1 + Number(digits);
}
