import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with every line `stream` produces, split on `\n` and also on `\r` (the
 * status lines of transmission-cli and aria2c end in `\r`). Empty lines are skipped. The
 * stream's encoding is left alone (other listeners may want Buffers).
 */
export function eachLine(stream: Readable | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const take = (text: string, last: boolean) => {
    const parts = (rest + text).split(/[\r\n]/);
    rest = last ? '' : (parts.pop() ?? '');
    for (const part of parts) if (part.trim() !== '') onLine(part);
  };
  stream.on('data', (chunk: Buffer | string) => take(typeof chunk === 'string' ? chunk : decoder.write(chunk), false));
  stream.on('end', () => take(decoder.end(), true));
}
