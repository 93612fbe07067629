import { MemoryStorage, checkTorrent, HashPool } from '@gtorr/storage';
import { makeTestTorrent, testBytes } from '@gtorr/storage/test';
const t = await makeTestTorrent('x', [{ path: ['a'], data: testBytes(300000) }], { version: 'hybrid' });
const s = new MemoryStorage(t.metainfo);
for (let p = 0; p < t.metainfo.pieceCount; p++) await s.write(p, 0, t.pieceData(p));
const r = await checkTorrent(s, { workers: 2 });
console.log('complete', r.complete, r.counts);
