import fc from 'fast-check';
import type { WireMessage } from '../src/index.js';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

/** Any message `encodeMessage` can write, with byte fields up to `maxBytes` long. */
export function wireMessage(maxBytes = 64): fc.Arbitrary<WireMessage> {
  const data = fc.uint8Array({ maxLength: maxBytes });
  return fc.oneof(
    fc.constantFrom<WireMessage>({ type: 'keep-alive' }, { type: 'choke' }, { type: 'unchoke' }, { type: 'interested' }, { type: 'not-interested' }, { type: 'have-all' }, { type: 'have-none' }),
    fc.record({ type: fc.constantFrom('have' as const, 'suggest' as const, 'allowed-fast' as const), index: u32 }),
    fc.record({ type: fc.constantFrom('request' as const, 'cancel' as const, 'reject' as const), index: u32, begin: u32, length: u32 }),
    fc.record({ type: fc.constant('piece' as const), index: u32, begin: u32, block: fc.uint8Array({ maxLength: Math.min(maxBytes * 64, 16384) }) }),
    fc.record({ type: fc.constant('bitfield' as const), bitfield: data }),
    fc.record({ type: fc.constant('extended' as const), id: fc.integer({ min: 0, max: 255 }), payload: data }),
    fc.record({ type: fc.constant('port' as const), port: fc.integer({ min: 0, max: 65535 }) }),
  );
}

/** The parts one after another, as a plain Uint8Array (decoded views then compare equal to encoded fields). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
