/**
 * @gtorr/tracker-udp: A UDP BitTorrent tracker client (BEP 15): connect, announce, scrape.
 *
 * @packageDocumentation
 */
export {};
