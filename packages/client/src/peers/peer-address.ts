import { isIP } from 'node:net';

export interface PeerAddress {
  /** An IPv4 address, an IPv6 address (no brackets, compressed), or a host name (manual peers). */
  readonly host: string;
  readonly port: number;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MAPPED_V4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * One spelling per host, so the same peer heard of from a tracker and from PEX is one entry:
 * lower case, IPv6 compressed (`0:0::1` is `::1`), IPv4-mapped IPv6 as plain IPv4.
 * Returns undefined for something that is no host.
 */
export function normalizeHost(host: string): string | undefined {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const mapped = MAPPED_V4.exec(h);
  if (mapped !== null && isIP(mapped[1]!) === 4) return mapped[1];
  switch (isIP(h)) {
    case 4:
      return h;
    case 6: {
      // The WHATWG URL parser writes IPv6 in its canonical compressed form.
      const canonical = new URL(`http://[${h}]/`).hostname.slice(1, -1);
      const v4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
      if (v4 !== null) {
        const hi = parseInt(v4[1]!, 16);
        const lo = parseInt(v4[2]!, 16);
        return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
      }
      return canonical;
    }
    default:
      // A name whose last label is all digits would be a mistyped IP address (RFC 3696: no numeric top-level domains).
      return HOST_NAME.test(h) && !/(^|\.)\d+$/.test(h) ? h : undefined;
  }
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** `1.2.3.4:6881`, `[::1]:6881`: the key that dedupes peers. */
export function formatPeerAddress(address: PeerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** A normalized address, or undefined when the host or port is not valid (port 0 included: nothing listens there). */
export function peerAddress(host: string, port: number): PeerAddress | undefined {
  const normal = normalizeHost(host);
  if (normal === undefined || !validPort(port)) return undefined;
  return { host: normal, port };
}

/** Parses `host:port` or `[v6]:port`. */
export function parsePeerAddress(text: string): PeerAddress | undefined {
  const t = text.trim();
  let host: string;
  let portText: string;
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close === -1 || t[close + 1] !== ':') return undefined;
    host = t.slice(1, close);
    portText = t.slice(close + 2);
  } else {
    const colon = t.lastIndexOf(':');
    if (colon === -1 || t.indexOf(':') !== colon) return undefined;
    host = t.slice(0, colon);
    portText = t.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  return peerAddress(host, Number(portText));
}
