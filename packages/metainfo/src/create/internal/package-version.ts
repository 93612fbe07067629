import { readFileSync } from 'node:fs';

/**
 * This package's version, from its package.json (npm always ships it). The module sits at
 * dist/ once built and at src/create/internal/ in the sources, so look a few levels up.
 * Read once per torrent created; 'unknown' if not found.
 */
export function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === '@gtorr/metainfo' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}
