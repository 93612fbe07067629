// One rule, applied to every name that may become a path on disk (the torrent's name, each
// path component, each symlink target component), in two tiers:
//  - refused (the torrent is rejected, METAINFO_BAD_PATH): anything that could take a file
//    out of the download folder or alias another one on some system: empty, made only of
//    dots and spaces (".", "..", and what Windows trims to them), holding "/", "\" or NUL,
//    or starting with a drive letter ("C:", which Windows resolves against that drive).
//  - sanitised (the torrent is kept): names that are only unusable on some systems. Control
//    characters become "_", and Windows device names (CON, NUL, COM1, LPT1, ... with or
//    without an extension) get a "_" in front, so "aux.c" is written as "_aux.c".
// @gtorr/storage re-checks every component with isSafePathComponent before it opens a file.

const ONLY_DOTS_AND_SPACES = /^[. ]*$/;
const DRIVE = /^[A-Za-z]:/;
// Windows treats these as devices whatever the extension, and ignores trailing spaces before it.
const DEVICE = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;

/**
 * The form in which a path component is written to disk, or `undefined` when the component
 * must never become a path (the whole torrent is then refused).
 *
 * @example
 * sanitizePathComponent('song.mp3'); // 'song.mp3'
 * sanitizePathComponent('..');       // undefined
 * sanitizePathComponent('CON.txt');  // '_CON.txt'
 */
export function sanitizePathComponent(component: string): string | undefined {
  if (ONLY_DOTS_AND_SPACES.test(component)) return undefined;
  if (component.includes('/') || component.includes('\\') || component.includes('\u0000')) return undefined;
  if (DRIVE.test(component)) return undefined;
  const clean = replaceControlCharacters(component);
  const stem = clean.replace(/\..*$/s, '').replace(/ +$/, '');
  return DEVICE.test(stem) ? `_${clean}` : clean;
}

// C0 controls, DEL and C1 controls: harmless on disk, but they rewrite a terminal that prints them.
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);

function replaceControlCharacters(text: string): string {
  let i = 0;
  while (i < text.length && !isControl(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) out += isControl(text.charCodeAt(i)) ? '_' : text[i]!;
  return out;
}

/**
 * True when `component` may be joined under a download folder exactly as it is: the rule
 * every `FileEntry.path` component returned by this package already satisfies.
 */
export function isSafePathComponent(component: string): boolean {
  return typeof component === 'string' && sanitizePathComponent(component) === component;
}
