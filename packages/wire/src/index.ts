/**
 * @gtorr/wire: The BitTorrent peer wire protocol: handshake, messages, extensions, framing and a socket connection.
 *
 * @packageDocumentation
 */
export {};
