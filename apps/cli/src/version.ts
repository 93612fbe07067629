import { readFileSync } from 'node:fs';

/** The app's version, read from its package.json (which npm always ships beside dist/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
