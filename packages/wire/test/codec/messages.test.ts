import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodePieceHeader, MessageId, type WireMessage, WireError } from '../../src/index.js';
import { wireMessage } from '../arbitraries.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const root = new Uint8Array(32).map((_, i) => i);

// Every message type, with the exact bytes BEP 3 / 5 / 6 / 10 / 52 give it.
const known: [WireMessage, number[]][] = [
  [{ type: 'keep-alive' }, [0, 0, 0, 0]],
  [{ type: 'choke' }, [0, 0, 0, 1, 0]],
  [{ type: 'unchoke' }, [0, 0, 0, 1, 1]],
  [{ type: 'interested' }, [0, 0, 0, 1, 2]],
  [{ type: 'not-interested' }, [0, 0, 0, 1, 3]],
  [{ type: 'have', index: 0x01020304 }, [0, 0, 0, 5, 4, 1, 2, 3, 4]],
  [{ type: 'bitfield', bitfield: bytes(0b1010_0000, 0xff) }, [0, 0, 0, 3, 5, 0xa0, 0xff]],
  [{ type: 'request', index: 1, begin: 16384, length: 16384 }, [0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0]],
  [{ type: 'piece', index: 2, begin: 3, block: bytes(9, 8, 7) }, [0, 0, 0, 12, 7, 0, 0, 0, 2, 0, 0, 0, 3, 9, 8, 7]],
  [{ type: 'cancel', index: 1, begin: 2, length: 3 }, [0, 0, 0, 13, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]],
  [{ type: 'port', port: 6881 }, [0, 0, 0, 3, 9, 0x1a, 0xe1]],
  [{ type: 'suggest', index: 7 }, [0, 0, 0, 5, 13, 0, 0, 0, 7]],
  [{ type: 'have-all' }, [0, 0, 0, 1, 14]],
  [{ type: 'have-none' }, [0, 0, 0, 1, 15]],
  [{ type: 'reject', index: 1, begin: 2, length: 3 }, [0, 0, 0, 13, 16, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]],
  [{ type: 'allowed-fast', index: 1313 }, [0, 0, 0, 5, 17, 0, 0, 5, 0x21]],
  [{ type: 'extended', id: 0, payload: bytes(0x64, 0x65) }, [0, 0, 0, 4, 20, 0, 0x64, 0x65]],
  [{ type: 'extended', id: 3, payload: bytes() }, [0, 0, 0, 2, 20, 3]],
  [{ type: 'hash-request', piecesRoot: root, baseLayer: 0, index: 4, length: 2, proofLayers: 1 }, [0, 0, 0, 49, 21, ...root, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 1]],
  [
    { type: 'hashes', piecesRoot: root, baseLayer: 0, index: 0, length: 1, proofLayers: 0, hashes: root },
    [0, 0, 0, 81, 22, ...root, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, ...root],
  ],
  [{ type: 'hash-reject', piecesRoot: root, baseLayer: 1, index: 2, length: 3, proofLayers: 4 }, [0, 0, 0, 49, 23, ...root, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]],
  [{ type: 'unknown', id: 99, payload: bytes(1, 2) }, [0, 0, 0, 3, 99, 1, 2]],
];

describe('message codec (BEP 3, 5, 6, 10, 52)', () => {
  it.each(known)('encodes and decodes %o', (message, wire) => {
    expect([...encodeMessage(message)]).toEqual(wire);
    expect(decodeMessage(new Uint8Array(wire))).toEqual(message);
  });

  it('covers every message id it names', () => {
    const encodedIds = new Set(known.filter(([m]) => m.type !== 'keep-alive').map(([, wire]) => wire[4]));
    for (const id of Object.values(MessageId)) expect(encodedIds).toContain(id);
  });

  it('writes a piece header that, followed by the block, is the piece message', () => {
    const block = bytes(1, 2, 3, 4);
    const joined = new Uint8Array([...encodePieceHeader(5, 6, block.length), ...block]);
    expect(joined).toEqual(encodeMessage({ type: 'piece', index: 5, begin: 6, block }));
  });

  it('round-trips random messages', () => {
    fc.assert(
      fc.property(wireMessage(), (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
    );
  });

  it.each([
    ['an index over 32 bits', { type: 'have', index: 2 ** 32 }],
    ['a negative begin', { type: 'request', index: 0, begin: -1, length: 1 }],
    ['a fractional length', { type: 'cancel', index: 0, begin: 0, length: 1.5 }],
    ['a port over 65535', { type: 'port', port: 65536 }],
    ['an extended id over 255', { type: 'extended', id: 256, payload: bytes() }],
  ] as [string, WireMessage][])('refuses to encode %s', (_, message) => {
    expect(() => encodeMessage(message)).toThrow(RangeError);
  });

  // Malformed single messages: each gives its code at the offset where the message starts.
  it.each([
    ['a have of 6 bytes', [0, 0, 0, 6, 4, 0, 0, 0, 0, 0], 'WIRE_BAD_LENGTH'],
    ['a choke with a payload', [0, 0, 0, 2, 0, 0], 'WIRE_BAD_LENGTH'],
    ['a request of 12 bytes', [0, 0, 0, 12, 6, ...new Array(11).fill(0)], 'WIRE_BAD_LENGTH'],
    ['a piece shorter than its header', [0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0], 'WIRE_BAD_LENGTH'],
    ['a port of 4 bytes', [0, 0, 0, 4, 9, 0, 0, 0], 'WIRE_BAD_LENGTH'],
    ['an extended message without its id', [0, 0, 0, 1, 20], 'WIRE_BAD_LENGTH'],
    ['hashes that are not whole', [0, 0, 0, 50, 22, ...new Array(49).fill(0)], 'WIRE_BAD_LENGTH'],
    ['a 4 GiB length', [0xff, 0xff, 0xff, 0xff, 7], 'WIRE_MESSAGE_TOO_LONG'],
    ['a piece over 16 KiB', [0, 0, 0x40, 10, 7], 'WIRE_MESSAGE_TOO_LONG'],
  ])('rejects %s', (_, wire, code) => {
    let error: unknown;
    try {
      decodeMessage(new Uint8Array(wire));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WireError);
    expect(error).toMatchObject({ code, offset: 0 });
  });

  it('rejects input that is not exactly one message', () => {
    expect(() => decodeMessage(bytes(0, 0, 0, 1))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_LENGTH', offset: 0 }));
    expect(() => decodeMessage(bytes(0, 0, 0, 1, 0, 0))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_LENGTH', offset: 5 }));
  });
});
