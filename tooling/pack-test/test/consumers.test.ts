// Each library, installed from its tarball into a project outside the workspace, used the
// way its README shows by a script in consumers/. The scripts are TypeScript: the
// workspace's own tsc checks them against the installed declarations (strict, nodenext,
// the declarations themselves checked too) and emits the JavaScript that node then runs.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturePath, torrentFixtures } from '@gtorr/fixtures';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { explain, npmEnv, run, tscPath, workspaceTypeRoots, type RunResult } from './support/run.js';
import { packTestDir } from './support/workspace.js';

const { root, projectDir, registry } = inject('packTest');
const consumersDir = join(projectDir, 'consumers');
const sources = readdirSync(join(packTestDir, 'consumers')).filter((f) => f.endsWith('.ts'));
const installed = pathToFileURL(join(projectDir, 'node_modules')).href;

function expected(file: string) {
  const fixture = torrentFixtures().find((f) => f.file === file);
  if (!fixture?.expected) throw new Error(`fixtures/manifest.json has no expected values for ${file}`);
  return fixture.expected;
}

let tsc: RunResult;
beforeAll(async () => {
  mkdirSync(join(consumersDir, 'src'), { recursive: true });
  for (const file of sources) copyFileSync(join(packTestDir, 'consumers', file), join(consumersDir, 'src', file));
  // What a TypeScript user of the packages would write; @types/node comes from the
  // workspace so the project needs nothing from a registry.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [workspaceTypeRoots],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  };
  writeFileSync(join(consumersDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  tsc = await run(process.execPath, [tscPath, '-p', consumersDir, '--pretty', 'false'], { cwd: consumersDir, timeoutMs: 120_000 });
});

/** Runs consumers/<name>.ts (as emitted) in the project; resolves its last line of output, parsed. */
async function consume(name: string, args: readonly string[] = []): Promise<Record<string, unknown>> {
  const env = { ...npmEnv({ root, registry }), TMPDIR: root };
  const result = await run(process.execPath, [join(consumersDir, 'dist', `${name}.js`), ...args], { cwd: consumersDir, env, timeoutMs: 30_000 });
  expect(result.code, explain(result)).toBe(0);
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  const output = JSON.parse(last) as Record<string, unknown>;
  // The packages came from the project's node_modules, never from the workspace.
  for (const url of Object.values(output.resolved as Record<string, string>)) expect(url.startsWith(`${installed}/@gtorr/`), url).toBe(true);
  return output;
}

describe('consumer scripts in TypeScript', () => {
  it('type-check against the installed declarations (strict, module nodenext, skipLibCheck off)', () => {
    expect(sources.length).toBeGreaterThanOrEqual(7);
    expect(tsc.code, explain(tsc)).toBe(0);
  });
});

describe('each package picked alone, installed from its tarball', () => {
  it('@gtorr/bencode decodes a real torrent, hashes its info dictionary from the raw bytes and encodes it back', async () => {
    const torrent = 'torrents/mktorrent/single.torrent';
    const output = await consume('bencode', [fixturePath(torrent)]);
    expect(output).toMatchObject({
      infoHash: expected(torrent).infoHash,
      name: expected(torrent).name,
      pieceLength: expected(torrent).pieceLength,
      reencodesExactly: true,
      truncated: 'BENCODE_UNEXPECTED_END',
    });
  });

  it('@gtorr/metainfo reads v1, v2 and hybrid torrents and a magnet link, and creates a torrent on a worker thread', async () => {
    const torrents = ['torrents/mktorrent/single.torrent', 'torrents/libtorrent/v2-multi.torrent', 'torrents/libtorrent/hybrid-multi.torrent'];
    const output = await consume('metainfo', [fixturePath('data/gtorr/single.bin'), ...torrents.map((t) => fixturePath(t))]);
    expect(output.torrents).toEqual(
      torrents.map((t) => {
        const { infoHash, infoHashV2, name, pieceLength, pieceCount, length, fileCount, private: isPrivate } = expected(t);
        const version = infoHash && infoHashV2 ? 'hybrid' : infoHashV2 ? 2 : 1;
        return { file: fixturePath(t), infoHash, infoHashV2, version, name, pieceLength, pieceCount, fileBytes: length, fileCount, private: isPrivate };
      }),
    );
    expect(output.magnet).toEqual({ infoHash: 'c334138ef5bfc2d568ea7324e0e2a3a7ec229bdd', name: 'Sintel', trackers: ['udp://127.0.0.1:6969'], roundTrip: true });
    expect(output.refused).toMatch(/^METAINFO_/);
    // mktorrent's info dictionary for the same file and piece length, byte for byte.
    const single = expected('torrents/mktorrent/single.torrent');
    expect(output.created).toEqual({ infoHash: single.infoHash, rereadInfoHash: single.infoHash, pieceCount: single.pieceCount });
  });

  it('@gtorr/tracker-http: two clients announce to and scrape the tracker server it exports, on 127.0.0.1', async () => {
    const output = await consume('tracker-http');
    expect(output.announceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/announce$/);
    expect(output).toMatchObject({ interval: 60, peers: [{ host: '127.0.0.1', port: 6881 }], scrape: [{ complete: 1, incomplete: 1 }] });
  });

  it('@gtorr/tracker-udp: a client announces to and scrapes the UDP tracker server it exports, on 127.0.0.1', async () => {
    const output = await consume('tracker-udp');
    expect(output.announceUrl).toMatch(/^udp:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatchObject({ interval: 60, complete: 1, incomplete: 1, peers: [{ host: '127.0.0.1', port: 6881 }], scrape: [{ complete: 1, incomplete: 1 }] });
  });

  it('@gtorr/wire: two PeerConnections handshake on loopback and move a block; @gtorr/wire/test makes a pair', async () => {
    const output = await consume('wire');
    expect(output).toMatchObject({ fast: true, piece: { index: 0, begin: 0, length: 16384, intact: true }, pairUnchoked: true });
    expect(output.remotePeerIdPrefix).toMatch(/^-GT\d{4}-$/);
  });

  it('@gtorr/storage writes and verifies pieces in a FileStorage and a MemoryStorage, and checks real data on a worker', async () => {
    const output = await consume('storage', [fixturePath('torrents/mktorrent/single.torrent'), fixturePath('data/gtorr')]);
    const pieceCount = output.pieceCount as number;
    expect(pieceCount).toBeGreaterThan(1);
    expect(output.file).toEqual({ verified: pieceCount, corruptedVerifies: false });
    expect(output.memory).toEqual({ verified: pieceCount, corruptedVerifies: false });
    expect(output.check).toEqual({ complete: true, verified: expected('torrents/mktorrent/single.torrent').pieceCount, files: ['single.bin: complete'] });
  });

  it('@gtorr/client: the engine parts (Bitfield, PiecePicker), and a download from a local seeder into memory', async () => {
    const output = await consume('client');
    expect(output).toMatchObject({ pieceCount: 4, wire: [0b1010_0000], arrival: 'new' });
    expect((output.picked as { piece: number }[]).map((b) => b.piece)).toHaveLength(2);
    for (const block of output.picked as { piece: number }[]) expect([0, 2]).toContain(block.piece);
    expect(output.downloaded).toEqual({ bytesEqual: true, pieces: 10, verifiedEvents: 10 });
  });
});
