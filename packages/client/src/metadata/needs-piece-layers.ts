import { toHex, type Metainfo } from '@gtorr/metainfo';

// Files longer than a piece are checked against piece layers, which live outside the info dictionary.
export function needsPieceLayers(metainfo: Metainfo): boolean {
  return metainfo.files.some((file) => file.piecesRoot !== undefined && file.length > metainfo.pieceLength && metainfo.pieceLayers?.get(toHex(file.piecesRoot)) === undefined);
}
