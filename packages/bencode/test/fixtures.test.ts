import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixturesDir, readFixture, torrentFixtures } from '@gtorr/fixtures';
import { describe, expect, it } from 'vitest';
import { type BencodeError, decode, decodeWithSpans, encode, isDictionary } from '../src/index.js';

function torrentFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return torrentFiles(path);
    return name.endsWith('.torrent') ? [relative(fixturesDir, path)] : [];
  });
}

const hostile = (file: string) => file.includes('/hostile/');
const files = torrentFiles(join(fixturesDir, 'torrents')).filter((f) => !hostile(f));

describe('real .torrent files from fixtures/', () => {
  it('has a varied set to test against', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s decodes (leniently), and re-encodes to the same bytes when canonical', (file) => {
    const bytes = readFixture(file);
    const { value, raw } = decodeWithSpans(bytes, { allowUnsortedKeys: true });
    if (!isDictionary(value) || !isDictionary(value.info)) throw new Error('no info dictionary');
    const info = raw(value.info)!;
    expect(info[0]).toBe(0x64); // 'd'
    expect(info[info.length - 1]).toBe(0x65); // 'e'
    let strict: unknown;
    try {
      strict = decode(bytes);
    } catch (error) {
      // Only key order may be lenient in a real file; anything else is a bug in us or the file.
      expect((error as BencodeError).code).toBe('BENCODE_UNSORTED_KEYS');
      return;
    }
    // Byte comparison, not toEqual: vitest's deep equality takes seconds on the 840 KiB fixtures.
    expect(Buffer.compare(encode(strict as never), bytes)).toBe(0);
  });

  it('takes the info hash from the original bytes: manifest values match', () => {
    const known = torrentFixtures().filter((f) => f.kind === 'valid' && f.expected?.infoHash);
    for (const fixture of known) {
      const { value, raw } = decodeWithSpans(readFixture(fixture.file), { allowUnsortedKeys: true });
      const info = raw((value as { info: object }).info)!;
      expect(createHash('sha1').update(info).digest('hex'), fixture.file).toBe(fixture.expected!.infoHash);
    }
  });

  // Info hashes as libtorrent 2.0.8 reports them for these files.
  it.each([
    ['torrents/webtorrent/leaves.torrent', 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36'],
    ['torrents/webtorrent/sintel.torrent', 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd'],
    ['torrents/webtorrent/bunny.torrent', 'af8f10f30bf9aefecf3686922bfa0d5bd290a395'],
  ])('knows the info hash of the real torrent %s', (file, infoHash) => {
    const { value, raw } = decodeWithSpans(readFixture(file), { allowUnsortedKeys: true });
    const info = raw((value as { info: object }).info)!;
    expect(createHash('sha1').update(info).digest('hex')).toBe(infoHash);
  });
});
