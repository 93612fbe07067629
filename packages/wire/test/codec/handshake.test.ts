import { describe, expect, it } from 'vitest';
import { decodeHandshake, encodeHandshake, generatePeerId, HANDSHAKE_LENGTH, readReserved, reservedBytes, WireError } from '../../src/index.js';

const infoHash = new Uint8Array(20).map((_, i) => i + 1);
const peerId = new TextEncoder().encode('-GT0001-abcdefghijkl');

describe('handshake (BEP 3)', () => {
  it('encodes the protocol string, reserved bytes, info hash and peer id in 68 bytes', () => {
    const bytes = encodeHandshake({ infoHash, peerId, reserved: { extended: true, fast: true } });
    expect(bytes.length).toBe(HANDSHAKE_LENGTH);
    expect(bytes[0]).toBe(19);
    expect(new TextDecoder().decode(bytes.subarray(1, 20))).toBe('BitTorrent protocol');
    expect([...bytes.subarray(20, 28)]).toEqual([0, 0, 0, 0, 0, 0x10, 0, 0x04]);
    expect(bytes.subarray(28, 48)).toEqual(infoHash);
    expect(bytes.subarray(48, 68)).toEqual(peerId);
  });

  it('round-trips and reads the features back', () => {
    const handshake = decodeHandshake(encodeHandshake({ infoHash, peerId, reserved: { dht: true, v2: true } }));
    expect(handshake.infoHash).toEqual(infoHash);
    expect(handshake.peerId).toEqual(peerId);
    expect(handshake.features).toEqual({ extended: false, fast: false, dht: true, v2: true });
  });

  it('sets the reserved bits of BEP 10, BEP 6, BEP 5 and BEP 52', () => {
    expect([...reservedBytes({ extended: true })]).toEqual([0, 0, 0, 0, 0, 0x10, 0, 0]);
    expect([...reservedBytes({ fast: true })]).toEqual([0, 0, 0, 0, 0, 0, 0, 0x04]);
    expect([...reservedBytes({ dht: true })]).toEqual([0, 0, 0, 0, 0, 0, 0, 0x01]);
    expect([...reservedBytes({ v2: true })]).toEqual([0, 0, 0, 0, 0, 0, 0, 0x10]);
    expect(readReserved(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0xff, 0xfa]))).toEqual({ extended: false, fast: false, dht: false, v2: true });
  });

  it('keeps unknown reserved bits as received', () => {
    const reserved = new Uint8Array([0x80, 0, 0, 0, 0, 0x10, 0, 0x05]);
    const handshake = decodeHandshake(encodeHandshake({ infoHash, peerId, reserved }));
    expect(handshake.reserved).toEqual(reserved);
    expect(handshake.features).toEqual({ extended: true, fast: true, dht: true, v2: false });
  });

  it('truncates a 32-byte v2 info hash to 20 bytes (BEP 52)', () => {
    const v2 = new Uint8Array(32).map((_, i) => 100 + i);
    expect(decodeHandshake(encodeHandshake({ infoHash: v2, peerId })).infoHash).toEqual(v2.subarray(0, 20));
  });

  it.each([
    ['a wrong protocol length', (b: Uint8Array) => (b[0] = 18), 0],
    ['a wrong protocol string', (b: Uint8Array) => (b[5] = 0x21), 5],
  ])('rejects %s with WIRE_BAD_HANDSHAKE at its offset', (_, corrupt, offset) => {
    const bytes = encodeHandshake({ infoHash, peerId });
    corrupt(bytes);
    const error = (() => {
      try {
        decodeHandshake(bytes);
      } catch (e) {
        return e;
      }
    })() as WireError;
    expect(error).toBeInstanceOf(WireError);
    expect(error.code).toBe('WIRE_BAD_HANDSHAKE');
    expect(error.offset).toBe(offset);
  });

  it('rejects a handshake of the wrong size', () => {
    expect(() => decodeHandshake(encodeHandshake({ infoHash, peerId }).subarray(0, 67))).toThrow(expect.objectContaining({ code: 'WIRE_BAD_HANDSHAKE' }));
  });

  it('rejects info hashes and peer ids of the wrong size as caller errors', () => {
    expect(() => encodeHandshake({ infoHash: new Uint8Array(19), peerId })).toThrow(TypeError);
    expect(() => encodeHandshake({ infoHash, peerId: new Uint8Array(21) })).toThrow(TypeError);
  });
});

describe('generatePeerId (BEP 20)', () => {
  it('starts with -GT0001- and fills 20 bytes with random ones', () => {
    const a = generatePeerId();
    const b = generatePeerId();
    expect(a.length).toBe(20);
    expect(new TextDecoder().decode(a.subarray(0, 8))).toBe('-GT0001-');
    expect(a).not.toEqual(b);
  });

  it('takes another prefix and refuses one over 20 bytes', () => {
    expect(new TextDecoder().decode(generatePeerId('-XX1234-').subarray(0, 8))).toBe('-XX1234-');
    expect(() => generatePeerId('x'.repeat(21))).toThrow(RangeError);
  });
});
