/**
 * @gtorr/wire/test: helpers for testing code that speaks the peer wire protocol.
 *
 * @example
 * ```ts
 * import { createPeerPair } from '@gtorr/wire/test';
 *
 * const { outgoing, incoming, close } = await createPeerPair();
 * incoming.on('interested', () => incoming.unchoke());
 * outgoing.interested();
 * close();
 * ```
 *
 * @packageDocumentation
 */
export { createPeerPair } from './internal/peer-pair.js';
export type { PeerPair, PeerPairOptions } from './internal/peer-pair.js';
