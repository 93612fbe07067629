import { BencodeError, decode, decodeFirst, isDictionary, type BencodeDictionary, type BencodeValue } from '@gtorr/bencode';
import { WireError, type WireErrorCode } from '../errors.js';

// Extension payloads come from peers: any key order (not every client sorts), shallow nesting.
const OPTIONS = { allowUnsortedKeys: true, maxDepth: 16 } as const;

function rethrow(error: unknown, code: WireErrorCode, what: string): never {
  if (error instanceof BencodeError) throw new WireError(code, `${what} is not valid bencode (${error.code})`, { offset: error.offset, cause: error });
  throw error;
}

function dictionary(value: BencodeValue, code: WireErrorCode, what: string): BencodeDictionary {
  if (!isDictionary(value)) throw new WireError(code, `${what} is not a dictionary`, { offset: 0 });
  return value;
}

/** The one bencoded dictionary that fills `payload`, or a WireError with `code`. */
export function decodeDictionary(payload: Uint8Array, code: WireErrorCode, what: string): BencodeDictionary {
  let value: BencodeValue;
  try {
    value = decode(payload, OPTIONS);
  } catch (error) {
    rethrow(error, code, what);
  }
  return dictionary(value, code, what);
}

/** The bencoded dictionary at the start of `payload` and where it ends (BEP 9 data follows it). */
export function decodeDictionaryPrefix(payload: Uint8Array, code: WireErrorCode, what: string): { value: BencodeDictionary; end: number } {
  let prefix: { value: BencodeValue; end: number };
  try {
    prefix = decodeFirst(payload, OPTIONS);
  } catch (error) {
    rethrow(error, code, what);
  }
  return { value: dictionary(prefix.value, code, what), end: prefix.end };
}
