// Metainfo objects built by hand, for shapes the torrent writer would not make: tens of
// thousands of files in a hurry, names the reader would refuse, pad files in a v1 torrent.
import { createHash } from 'node:crypto';
import type { FileEntry, Metainfo } from '@gtorr/metainfo';
import { byteSpacePiece } from '../../src/internal/test-torrent.js';

export interface HandFile {
  readonly path: readonly string[];
  readonly data: Uint8Array;
  readonly padding?: boolean;
}

/** A v1 torrent of `files` laid end to end (pad files hold zeros), with real SHA-1 piece hashes. */
export function handMadeV1(name: string, files: readonly HandFile[], pieceLength: number, isDirectory = true): Metainfo {
  let offset = 0;
  const entries: FileEntry[] = files.map((file) => {
    const entry: FileEntry = { path: file.path, length: file.data.length, offset, padding: file.padding === true, attributes: file.padding === true ? 'p' : '' };
    offset += file.data.length;
    return entry;
  });
  const length = offset;
  const pieceCount = Math.ceil(length / pieceLength);
  const pieces = new Uint8Array(pieceCount * 20);
  const all = new Uint8Array(length);
  entries.forEach((entry, i) => all.set(files[i]!.data, entry.offset));
  for (let p = 0; p < pieceCount; p++) pieces.set(createHash('sha1').update(all.subarray(p * pieceLength, (p + 1) * pieceLength)).digest(), p * 20);
  return {
    infoHash: { v1: createHash('sha1').update(name).update(pieces).digest(), v2: null },
    version: 1,
    name,
    isDirectory,
    pieceLength,
    pieceCount,
    length,
    files: entries,
    pieces,
    pieceLayers: null,
    announce: [],
    urlList: [],
    private: false,
    infoBytes: new Uint8Array(0),
  };
}

/** The byte space of a hand-made torrent's piece `piece`. */
export function handPiece(metainfo: Metainfo, files: readonly HandFile[], piece: number): Uint8Array {
  return byteSpacePiece(metainfo, files.map((file) => file.data), piece);
}
