import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHandshake, encodeMessage, MessageDecoder, type DecodedMessage, type WireMessage, WireError } from '../../src/index.js';
import { concat, wireMessage } from '../arbitraries.js';

/** Cuts `bytes` at the given points (taken modulo its length), in order. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(last, p));
    last = p;
  }
  return chunks;
}

function decodeAll(decoder: MessageDecoder, chunks: Uint8Array[]): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (const message of decoder) out.push(message);
  }
  return out;
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const infoHash = new Uint8Array(20).fill(7);
const peerId = new Uint8Array(20).fill(9);

describe('MessageDecoder (framing)', () => {
  it('yields the same messages however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(wireMessage(300), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (messages, cuts) => {
        const stream = concat(messages.map(encodeMessage));
        const decoded = decodeAll(new MessageDecoder(), split(stream, cuts));
        expect(decoded).toEqual(messages);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a stream fed one byte at a time, handshake first', () => {
    const messages: WireMessage[] = [{ type: 'have-all' }, { type: 'piece', index: 1, begin: 2, block: new Uint8Array(100).fill(3) }, { type: 'keep-alive' }];
    const stream = concat([encodeHandshake({ infoHash, peerId, reserved: { fast: true } }), ...messages.map(encodeMessage)]);
    const chunks = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
    const [handshake, ...rest] = decodeAll(new MessageDecoder({ handshake: true }), chunks);
    expect(handshake).toMatchObject({ type: 'handshake', infoHash, peerId, features: { fast: true } });
    expect(rest).toEqual(messages);
  });

  it('decodes megabytes of messages pushed as one chunk', () => {
    const messages: WireMessage[] = Array.from({ length: 200 }, (_, i) => ({ type: 'piece', index: i, begin: 0, block: new Uint8Array(16384).fill(i) }));
    const decoded = decodeAll(new MessageDecoder(), [concat(messages.map(encodeMessage))]) as Extract<WireMessage, { type: 'piece' }>[];
    expect(decoded.length).toBe(200);
    // Buffer.equals: element-by-element deep equality of 3 MiB would dominate the test's time.
    decoded.forEach((piece, i) => {
      expect(piece.index).toBe(i);
      expect(Buffer.from(piece.block).equals(Buffer.alloc(16384, i))).toBe(true);
    });
  });

  it('gives a piece block as a view into the chunk when the message sits in one chunk', () => {
    const chunk = concat([encodeMessage({ type: 'have', index: 1 }), encodeMessage({ type: 'piece', index: 0, begin: 0, block: new Uint8Array(64).fill(5) })]);
    const decoder = new MessageDecoder();
    decoder.push(chunk);
    const [, piece] = [...decoder];
    expect(piece?.type).toBe('piece');
    const block = (piece as Extract<WireMessage, { type: 'piece' }>).block;
    expect(block.buffer).toBe(chunk.buffer);
    expect(block.byteOffset).toBe(chunk.byteOffset + 9 + 13);
  });

  it('copies a piece that straddles chunks once, into memory of its own', () => {
    const whole = encodeMessage({ type: 'piece', index: 0, begin: 0, block: new Uint8Array(64).fill(5) });
    const [a, b] = [whole.slice(0, 30), whole.slice(30)];
    const decoder = new MessageDecoder();
    decoder.push(a);
    expect(decoder.next()).toBeUndefined();
    decoder.push(b);
    const piece = decoder.next() as Extract<WireMessage, { type: 'piece' }>;
    expect(piece.block).toEqual(new Uint8Array(64).fill(5));
    expect(piece.block.buffer).not.toBe(a.buffer);
    expect(piece.block.buffer).not.toBe(b.buffer);
    expect(decoder.buffered).toBe(0);
  });

  it('only ever throws WireError on random bytes, with or without a handshake', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 10 }), (handshake, bytes, cuts) => {
        const decoder = new MessageDecoder({ handshake, pieceCount: 20 });
        const error = errorOf(() => decodeAll(decoder, split(bytes, cuts)));
        if (error !== undefined) expect(error).toBeInstanceOf(WireError);
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever throws WireError on random bytes after a valid prefix of messages', () => {
    fc.assert(
      fc.property(fc.array(wireMessage(300), { maxLength: 5 }), fc.uint8Array({ maxLength: 200 }), (messages, tail) => {
        const decoder = new MessageDecoder();
        const error = errorOf(() => decodeAll(decoder, [concat([...messages.map(encodeMessage), tail])]));
        if (error !== undefined) expect(error).toBeInstanceOf(WireError);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a 4 GiB length prefix from its 4 bytes alone, without allocating for it', () => {
    const before = process.memoryUsage().arrayBuffers;
    const decoder = new MessageDecoder();
    decoder.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    const error = errorOf(() => decoder.next());
    expect(error).toMatchObject({ code: 'WIRE_MESSAGE_TOO_LONG', offset: 0 });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('does not allocate for a message it has only the header of', () => {
    const decoder = new MessageDecoder({ maxMessageLength: 64 << 20 });
    const before = process.memoryUsage().arrayBuffers;
    decoder.push(new Uint8Array([0x03, 0xff, 0xff, 0xff, 20, 1])); // a 64 MiB extended message, announced
    expect(decoder.next()).toBeUndefined();
    expect(decoder.buffered).toBe(6);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('keeps failing with the first error', () => {
    const decoder = new MessageDecoder();
    decoder.push(encodeMessage({ type: 'have', index: 1 }));
    decoder.push(new Uint8Array([0, 0, 0, 2, 1, 0]));
    expect(decoder.next()).toEqual({ type: 'have', index: 1 });
    const first = errorOf(() => decoder.next());
    expect(first).toMatchObject({ code: 'WIRE_BAD_LENGTH', offset: 9 });
    expect(errorOf(() => decoder.next())).toBe(first);
    expect(errorOf(() => decoder.push(new Uint8Array(1)))).toBe(first);
  });

  it('fails a handshake on its first wrong byte, before 68 bytes arrive', () => {
    const decoder = new MessageDecoder({ handshake: true });
    decoder.push(new TextEncoder().encode('\x13BitTorrent pro'));
    expect(decoder.next()).toBeUndefined();
    decoder.push(new TextEncoder().encode('xocol'));
    expect(errorOf(() => decoder.next())).toMatchObject({ code: 'WIRE_BAD_HANDSHAKE', offset: 15 });
  });

  it('treats an HTTP request as a bad handshake', () => {
    const decoder = new MessageDecoder({ handshake: true });
    decoder.push(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(errorOf(() => decoder.next())).toMatchObject({ code: 'WIRE_BAD_HANDSHAKE', offset: 0 });
  });

  describe('bitfield bounds', () => {
    it('accepts a bitfield of exactly ceil(pieceCount / 8) bytes with clear spare bits', () => {
      const decoder = new MessageDecoder({ pieceCount: 10 });
      decoder.push(encodeMessage({ type: 'bitfield', bitfield: new Uint8Array([0xff, 0xc0]) }));
      expect(decoder.next()).toEqual({ type: 'bitfield', bitfield: new Uint8Array([0xff, 0xc0]) });
    });

    it('rejects a bitfield of the wrong size from its header', () => {
      const decoder = new MessageDecoder({ pieceCount: 10 });
      decoder.push(new Uint8Array([0, 0, 0, 4, 5]));
      expect(errorOf(() => decoder.next())).toMatchObject({ code: 'WIRE_BAD_LENGTH', offset: 0 });
    });

    it('rejects spare bits set past the last piece, at the last byte', () => {
      const decoder = new MessageDecoder({ pieceCount: 10 });
      decoder.push(encodeMessage({ type: 'bitfield', bitfield: new Uint8Array([0xff, 0xe0]) }));
      expect(errorOf(() => decoder.next())).toMatchObject({ code: 'WIRE_BAD_BITFIELD', offset: 6 });
    });

    it('takes the piece count later, for magnet links', () => {
      const decoder = new MessageDecoder();
      decoder.setPieceCount(8);
      decoder.push(encodeMessage({ type: 'bitfield', bitfield: new Uint8Array([1, 2]) }));
      expect(errorOf(() => decoder.next())).toMatchObject({ code: 'WIRE_BAD_LENGTH' });
    });
  });

  it('honours maxBlockLength and maxMessageLength', () => {
    const piece = encodeMessage({ type: 'piece', index: 0, begin: 0, block: new Uint8Array(32768) });
    const strict = new MessageDecoder();
    strict.push(piece);
    expect(errorOf(() => strict.next())).toMatchObject({ code: 'WIRE_MESSAGE_TOO_LONG' });
    const roomy = new MessageDecoder({ maxBlockLength: 32768 });
    roomy.push(piece);
    expect(roomy.next()).toMatchObject({ type: 'piece', block: new Uint8Array(32768) });
    const small = new MessageDecoder({ maxMessageLength: 100 });
    small.push(encodeMessage({ type: 'extended', id: 1, payload: new Uint8Array(100) }));
    expect(errorOf(() => small.next())).toMatchObject({ code: 'WIRE_MESSAGE_TOO_LONG' });
  });

  it('refuses limits that are not 32-bit integers', () => {
    expect(() => new MessageDecoder({ maxMessageLength: -1 })).toThrow(RangeError);
    expect(() => new MessageDecoder({ pieceCount: 1.5 })).toThrow(RangeError);
  });
});
