// A bounded set of open files, least recently used closed first. A torrent may hold tens of
// thousands of files, far more than a process may open (ulimit -n is often 1,024), so files
// are opened on use, kept open for the next use, and closed when the cap is reached. The cap
// is hard: an open that would pass it waits for a file in use to be released. No use holds
// a file while waiting for another, so waiting never deadlocks.
import type { StorageFileHandle } from '../storage-fs.js';

export interface OpenedFile {
  readonly handle: StorageFileHandle;
  readonly writable: boolean;
}

interface Entry {
  file: OpenedFile | undefined;
  opening: Promise<OpenedFile | undefined> | undefined;
  users: number;
  /** Written since its last sync. */
  dirty: boolean;
  /** Handles replaced (by a writable one, or dropped) while in use, closed when the users are done. */
  retired: StorageFileHandle[];
}

export interface HandleCacheEvents {
  /** A dirty file closed unsynced; flush() must sync it later. */
  readonly onDirtyClose: (key: number) => void;
}

export class HandleCache {
  // Map iteration order is insertion order: re-inserting on use keeps the oldest first.
  private readonly entries = new Map<number, Entry>();
  private readonly waiters: (() => void)[] = [];
  /** Descriptors open, being opened, or retired but not yet closed. */
  private descriptors = 0;

  constructor(
    private readonly maxOpen: number,
    private readonly open: (key: number, write: boolean) => Promise<OpenedFile | undefined>,
    private readonly events: HandleCacheEvents,
  ) {}

  /** Descriptors held now (for tests and diagnostics): never more than `maxOpen`. */
  get size(): number {
    return this.descriptors;
  }

  /**
   * Opens file `key` (for writing when `write`) and holds it open until `release()`: the
   * file is undefined when it does not exist and `write` is false.
   */
  async acquire(key: number, write: boolean): Promise<{ readonly file: OpenedFile | undefined; readonly release: () => Promise<void> }> {
    const entry = this.touch(key);
    entry.users++;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      // A write that failed half way may still have changed the file.
      if (write && entry.file !== undefined) entry.dirty = true;
      entry.users--;
      await this.release(key, entry);
    };
    try {
      return { file: await this.ready(key, entry, write), release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Runs `work` with the file held open (see `acquire`); it stays open for later users. */
  async use<T>(key: number, write: boolean, work: (file: OpenedFile | undefined) => Promise<T>): Promise<T> {
    const { file, release } = await this.acquire(key, write);
    try {
      return await work(file);
    } finally {
      await release();
    }
  }

  /** Syncs every open dirty file; returns the keys synced. */
  async syncOpen(): Promise<number[]> {
    const synced: number[] = [];
    for (const [key, entry] of this.entries) {
      if (!entry.dirty || entry.file === undefined) continue;
      entry.dirty = false;
      try {
        await entry.file.handle.sync();
      } catch (error) {
        entry.dirty = true;
        throw error;
      }
      synced.push(key);
    }
    return synced;
  }

  /**
   * Forgets file `key`: its descriptor is closed (once its current users are done) and the
   * next use opens the path afresh. For a file found replaced under us.
   */
  async drop(key: number): Promise<void> {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    if (entry.file !== undefined) entry.retired.push(entry.file.handle);
    entry.file = undefined;
    entry.dirty = false;
    if (entry.users === 0) await this.closeRetired(entry);
  }

  /** Closes every file (after syncing dirty ones). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    let failure: Error | undefined;
    for (const entry of entries) {
      const file = entry.file ?? (entry.opening !== undefined ? await entry.opening.catch(() => undefined) : undefined);
      if (file !== undefined) {
        try {
          if (entry.dirty) await file.handle.sync();
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }
        entry.retired.push(file.handle);
        entry.file = undefined;
      }
      await this.closeRetired(entry);
    }
    if (failure !== undefined) throw failure;
  }

  private touch(key: number): Entry {
    let entry = this.entries.get(key);
    if (entry !== undefined) this.entries.delete(key);
    else entry = { file: undefined, opening: undefined, users: 0, dirty: false, retired: [] };
    this.entries.set(key, entry);
    return entry;
  }

  private async ready(key: number, entry: Entry, write: boolean): Promise<OpenedFile | undefined> {
    for (;;) {
      if (entry.opening !== undefined) await entry.opening.catch(() => undefined);
      const file = entry.file;
      if (file !== undefined && (file.writable || !write)) return file;
      if (entry.opening !== undefined) continue;
      const opening = this.openCounted(key, write);
      entry.opening = opening;
      try {
        const opened = await opening;
        if (opened === undefined) return undefined;
        if (entry.file !== undefined) entry.retired.push(entry.file.handle);
        entry.file = opened;
        return opened;
      } finally {
        entry.opening = undefined;
      }
    }
  }

  /** Opens within the cap: takes a descriptor slot first (closing an idle file, or waiting). */
  private async openCounted(key: number, write: boolean): Promise<OpenedFile | undefined> {
    await this.slot(key);
    try {
      const opened = await this.open(key, write);
      if (opened === undefined) this.freeSlot();
      return opened;
    } catch (error) {
      this.freeSlot();
      throw error;
    }
  }

  private async slot(except: number): Promise<void> {
    for (;;) {
      if (this.descriptors < this.maxOpen) {
        this.descriptors++;
        return;
      }
      // Found and detached in the same turn as the check, so no release can slip in between.
      const victim = this.evictIdle(except);
      if (victim !== undefined) {
        // The victim's slot passes to us: it is closed before we open, never both at once.
        await victim.close().catch(() => undefined);
        return;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private freeSlot(): void {
    this.descriptors--;
    this.waiters.shift()?.();
  }

  /** Detaches the least recently used idle file and returns its handle to close; undefined when every open file is in use. */
  private evictIdle(except: number): StorageFileHandle | undefined {
    for (const [key, entry] of this.entries) {
      if (key === except || entry.users > 0 || entry.opening !== undefined || entry.file === undefined) continue;
      this.entries.delete(key);
      if (entry.dirty) this.events.onDirtyClose(key);
      const handle = entry.file.handle;
      entry.file = undefined;
      return handle;
    }
    return undefined;
  }

  private async release(key: number, entry: Entry): Promise<void> {
    if (entry.users > 0) return;
    await this.closeRetired(entry);
    if (entry.file === undefined && entry.opening === undefined && this.entries.get(key) === entry) this.entries.delete(key);
    // A file just became idle: someone waiting for a slot may now close it.
    if (this.waiters.length > 0) this.waiters.shift()?.();
  }

  private async closeRetired(entry: Entry): Promise<void> {
    for (const old of entry.retired.splice(0)) {
      await old.close().catch(() => undefined);
      this.freeSlot();
    }
  }
}
