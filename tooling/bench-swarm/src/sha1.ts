import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-1 of a file's bytes, hex. */
export async function sha1File(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 2 ** 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
