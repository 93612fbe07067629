/**
 * @gtorr/wire: the BitTorrent peer wire protocol, as pure codecs (handshake, every BEP 3
 * and BEP 6 message, BEP 10 extended handshake, BEP 9 ut_metadata, BEP 11 ut_pex, a framing
 * push decoder) and a `PeerConnection` over a TCP socket.
 *
 * @example
 * ```ts
 * import { PeerConnection } from '@gtorr/wire';
 *
 * const peer = PeerConnection.connect({ host: '127.0.0.1', port: 6881, infoHash });
 * peer.on('unchoke', () => peer.request(0, 0, 16384));
 * peer.on('piece', ({ index, begin, block }) => console.log(index, begin, block.length));
 * const remote = await peer.ready;
 * peer.interested();
 * ```
 *
 * @packageDocumentation
 */
export { allowedFastSet, DEFAULT_ALLOWED_FAST_COUNT } from './codec/bep-0006-allowed-fast.js';
export { decodeMetadataMessage, DEFAULT_MAX_METADATA_SIZE, encodeMetadataMessage, METADATA_PIECE_LENGTH, metadataPieceCount, UT_METADATA } from './codec/bep-0009-metadata.js';
export type { MetadataDecodeOptions, MetadataMessage } from './codec/bep-0009-metadata.js';
export { decodeExtendedHandshake, encodeExtendedHandshake, EXTENDED_HANDSHAKE_ID } from './codec/bep-0010-extension-handshake.js';
export type { ExtendedHandshake } from './codec/bep-0010-extension-handshake.js';
export { decodePexMessage, encodePexMessage, PexFlag, UT_PEX } from './codec/bep-0011-pex.js';
export type { PexAddress, PexMessage, PexPeer } from './codec/bep-0011-pex.js';
export { decodeHandshake, encodeHandshake, HANDSHAKE_LENGTH, PROTOCOL, readReserved, reservedBytes } from './codec/handshake.js';
export type { Handshake, HandshakeFeatures, HandshakeInit } from './codec/handshake.js';
export { decodeMessage, DEFAULT_MAX_BLOCK_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, MessageDecoder } from './codec/message-decoder.js';
export type { DecodedMessage, MessageDecoderOptions } from './codec/message-decoder.js';
export { encodeMessage, encodePieceHeader, MessageId, PIECE_HEADER_LENGTH } from './codec/messages.js';
export type {
  AllowedFastMessage,
  BitfieldMessage,
  BlockRange,
  CancelMessage,
  ChokeMessage,
  ExtendedMessage,
  HashesMessage,
  HashRange,
  HashRejectMessage,
  HashRequestMessage,
  HaveAllMessage,
  HaveMessage,
  HaveNoneMessage,
  InterestedMessage,
  KeepAliveMessage,
  NotInterestedMessage,
  PieceMessage,
  PortMessage,
  RejectMessage,
  RequestMessage,
  SuggestMessage,
  UnchokeMessage,
  UnknownMessage,
  WireMessage,
  WireMessageType,
} from './codec/messages.js';
export { DEFAULT_PEER_ID_PREFIX, generatePeerId } from './codec/peer-id.js';
export { PeerConnection } from './connection.js';
export type { ConnectOptions, IncomingOptions, OutgoingOptions, PeerConnectionEvents, PeerConnectionOptions } from './connection-options.js';
export { WireError, WireErrorCode } from './errors.js';
export type { WireErrorOptions } from './errors.js';
