import type { PexAddress, PexPeer } from '@gtorr/wire';
import { parsePeerAddress } from '../peers/peer-address.js';

/** BEP 11: "no more than 50 added and 50 dropped" contacts in one message. */
export const MAX_PEX_CONTACTS = 50;

/**
 * What to tell one peer in its next ut_pex message: contacts it has not heard of from us,
 * and contacts we told it of that are gone. `sent` is updated to what it will know.
 */
export function pexDiff(sent: Set<string>, current: ReadonlyMap<string, PexPeer>): { added: PexPeer[]; dropped: PexAddress[] } {
  const added: PexPeer[] = [];
  const dropped: PexAddress[] = [];
  for (const [key, peer] of current) {
    if (added.length >= MAX_PEX_CONTACTS) break;
    if (!sent.has(key)) {
      added.push(peer);
      sent.add(key);
    }
  }
  for (const key of [...sent]) {
    if (dropped.length >= MAX_PEX_CONTACTS) break;
    if (current.has(key)) continue;
    const address = parsePeerAddress(key);
    sent.delete(key);
    if (address !== undefined) dropped.push(address);
  }
  return { added, dropped };
}
