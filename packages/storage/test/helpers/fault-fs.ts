// A StorageFs over the real one that counts open descriptors and syncs, and fails chosen
// calls with chosen system errors: how tests reach a full disk or a refused permission
// without needing the system to be in that state.
import { nodeStorageFs, type StorageFileHandle, type StorageFs } from '../../src/index.js';

export type FaultPoint = 'open' | 'write' | 'sync' | 'rename' | 'mkdir';

export interface FaultFs extends StorageFs {
  /** Descriptors open now, and the most ever open at once. */
  readonly open_: { now: number; max: number; syncs: number; datasyncs: number };
  /** Makes calls at `point` whose path matches `when` fail with `code`, until `heal()`. */
  fail(point: FaultPoint, code: string, when?: (path: string) => boolean): void;
  heal(): void;
}

export function systemError(code: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected, '${path}'`);
  error.code = code;
  error.path = path;
  return error;
}

export function faultFs(base: StorageFs = nodeStorageFs): FaultFs {
  const counters = { now: 0, max: 0, syncs: 0, datasyncs: 0 };
  let faults: { point: FaultPoint; code: string; when: (path: string) => boolean }[] = [];
  const check = (point: FaultPoint, path: string) => {
    const fault = faults.find((f) => f.point === point && f.when(path));
    if (fault !== undefined) throw systemError(fault.code, path);
  };
  const wrap = (handle: StorageFileHandle, path: string): StorageFileHandle => {
    let closed = false;
    return {
      read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
      write: async (buffer, offset, length, position) => {
        check('write', path);
        return handle.write(buffer, offset, length, position);
      },
      stat: (options) => handle.stat(options),
      sync: async () => {
        check('sync', path);
        counters.syncs++;
        return handle.sync();
      },
      datasync: async () => {
        check('sync', path);
        counters.syncs++;
        counters.datasyncs++;
        return handle.datasync === undefined ? handle.sync() : handle.datasync();
      },
      close: async () => {
        if (!closed) {
          closed = true;
          counters.now--;
        }
        return handle.close();
      },
    };
  };
  return {
    ...base,
    open_: counters,
    async open(path, flags, mode) {
      check('open', path);
      const handle = await base.open(path, flags, mode);
      counters.now++;
      counters.max = Math.max(counters.max, counters.now);
      return wrap(handle, path);
    },
    async mkdir(path, options) {
      check('mkdir', path);
      return base.mkdir(path, options);
    },
    async rename(from, to) {
      check('rename', to);
      return base.rename(from, to);
    },
    fail(point, code, when = () => true) {
      faults.push({ point, code, when });
    },
    heal() {
      faults = [];
    },
  };
}
