// @gtorr/bencode alone, as its README shows: decode a real .torrent, take its info hash
// from the info dictionary's original bytes, encode it back, and catch a typed error.
// Usage: node bencode.js <file.torrent>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BencodeError, decode, decodeWithSpans, encode, isDictionary, text } from '@gtorr/bencode';

const file = process.argv[2];
if (file === undefined) throw new TypeError('usage: node bencode.js <file.torrent>');
const bytes = new Uint8Array(readFileSync(file));

const { value, raw } = decodeWithSpans(bytes, { allowUnsortedKeys: true });
if (!isDictionary(value) || !isDictionary(value.info)) throw new Error(`${file}: not a torrent`);
const info = value.info;
const infoBytes = raw(info);
if (infoBytes === undefined) throw new Error(`${file}: no span for the info dictionary`);

let truncated: string | undefined;
try {
  decode(bytes.subarray(0, bytes.length - 1));
} catch (error) {
  if (!(error instanceof BencodeError)) throw error;
  truncated = error.code;
}

console.log(
  JSON.stringify({
    resolved: { '@gtorr/bencode': import.meta.resolve('@gtorr/bencode') },
    infoHash: createHash('sha1').update(infoBytes).digest('hex'),
    name: text(info.name),
    pieceLength: info['piece length'],
    announce: text(value.announce) ?? null,
    reencodesExactly: Buffer.from(encode(decode(bytes, { allowUnsortedKeys: true }))).equals(bytes),
    truncated,
  }),
);
