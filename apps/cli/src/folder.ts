import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from './errors.js';

/** The absolute path of a folder that must exist (`verify -d`, `seed -d`); an InputError otherwise. */
export async function existingFolder(given: string, cwd: string, flag = '-d'): Promise<string> {
  const dir = resolve(cwd, given);
  const stats = await stat(dir).catch(() => undefined);
  if (stats === undefined) throw new InputError(`no such folder: ${given}`);
  if (!stats.isDirectory()) throw new InputError(`${given} is not a folder (${flag} takes the folder the torrent was downloaded into)`);
  return dir;
}

/** The absolute path of a folder to download into, made (with its parents) when missing. */
export async function outputFolder(given: string, cwd: string): Promise<string> {
  const dir = resolve(cwd, given);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot use ${given} as the download folder: ${why}`, { cause: error });
  }
  return dir;
}
