/**
 * @gtorr/tracker-http: An HTTP(S) BitTorrent tracker client (announce, scrape) and a small embeddable tracker server.
 *
 * @packageDocumentation
 */
export {};
