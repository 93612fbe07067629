import { parseInfoDictionary, type Metainfo } from '@gtorr/metainfo';
import { ClientError, ClientErrorCode } from '../errors.js';
import { errorMessage } from '../internal/error-message.js';
import { needsPieceLayers } from '../metadata/needs-piece-layers.js';
import { PieceLayerFetcher } from '../metadata/piece-layer-fetcher.js';
import type { Torrent } from './torrent.js';

/**
 * A magnet's way to its metainfo: the info dictionary from peers (BEP 9), then, for a
 * v2-only torrent, its piece layers (BEP 52, fetched through the torrent's
 * `pieceLayerFetcher`). Hands the complete metainfo to `start` once.
 */
export class MetadataPhase {
  readonly #torrent: Torrent;
  readonly #start: (metainfo: Metainfo) => void;
  // A v2-only magnet's metainfo while its piece layers are fetched.
  #withoutLayers: Metainfo | undefined;

  constructor(torrent: Torrent, start: (metainfo: Metainfo) => void) {
    this.#torrent = torrent;
    this.#start = start;
  }

  /** A v2-only magnet's metainfo while its piece layers are fetched, else undefined. */
  get withoutLayers(): Metainfo | undefined {
    return this.#withoutLayers;
  }

  /** The info dictionary arrived from peers and matches the info hash. */
  metadataReceived(infoBytes: Uint8Array): void {
    const t = this.#torrent;
    if (t.metainfo !== undefined || this.#withoutLayers !== undefined) return;
    let metainfo: Metainfo;
    try {
      metainfo = parseInfoDictionary(infoBytes);
    } catch (error) {
      t.emit('warning', new ClientError(ClientErrorCode.BAD_METADATA, `the metadata from peers does not parse: ${errorMessage(error)}`, { cause: error }));
      t.metadataAssembler = undefined;
      return;
    }
    t.metadataAssembler = undefined;
    if (metainfo.version === 'hybrid' && needsPieceLayers(metainfo)) {
      // A hybrid torrent's v1 piece hashes come in the same verified info dictionary: check
      // pieces with them rather than wait for piece layers.
      metainfo = { ...metainfo, version: 1 };
    } else if (metainfo.version === 2 && needsPieceLayers(metainfo)) {
      // A v2-only torrent's pieces can only be checked against its piece layers, which the
      // info dictionary leaves out: fetch them from peers first, as long as it takes (peers
      // come and go, as for the metadata), until they are here or the torrent is stopped.
      this.#withoutLayers = metainfo;
      t.pieceLayerFetcher = new PieceLayerFetcher(metainfo);
      t.wiring.hashes.fillAll();
      return;
    }
    this.#start(metainfo);
  }

  /** Every missing piece layer arrived and proved itself: the torrent goes on with them. */
  pieceLayersReceived(): void {
    const t = this.#torrent;
    const fetcher = t.pieceLayerFetcher;
    const partial = this.#withoutLayers;
    if (fetcher === undefined || partial === undefined || !fetcher.complete || t.stopping) return;
    const pieceLayers = new Map(partial.pieceLayers ?? []);
    for (const [rootHex, layer] of fetcher.pieceLayers()) pieceLayers.set(rootHex, layer);
    t.pieceLayerFetcher = undefined;
    this.#withoutLayers = undefined;
    this.#start({ ...partial, pieceLayers });
  }
}
