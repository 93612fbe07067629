/**
 * @gtorr/client: The gtorr BitTorrent engine: sessions, torrents, swarms, piece picking, choking and seeding.
 *
 * @packageDocumentation
 */
export {};
