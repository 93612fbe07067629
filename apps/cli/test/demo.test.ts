import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { jsonLines } from './torrent-fixture.js';
import { main } from '../src/main.js';

function demoFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('gtorr-demo-'));
}

/** Runs `gtorr demo`, aborting it (as Ctrl-C would) if it outlives `timeoutMs`. */
async function runDemo(args: string[], timeoutMs = 25_000) {
  const controller = new AbortController();
  const io = captureIo({ signal: controller.signal });
  const timer = setTimeout(() => controller.abort(new Error('test timeout')), timeoutMs);
  try {
    return { code: await main(['demo', ...args], io), out: io.out(), err: io.err() };
  } finally {
    clearTimeout(timer);
  }
}

describe('gtorr demo', () => {
  it('runs a swarm on loopback, checks every byte, cleans up, and exits 0', async () => {
    const before = new Set(demoFolders());
    const { code, out, err } = await runDemo(['--size', '3M', '--peers', '2']);
    expect(code, err).toBe(0);
    expect(out).toMatch(/^demo: 3\.00 MiB in 5 files from 1 seed to 2 downloaders in \d+\.\ds/);
    expect(out).toContain('every downloaded file matches the original, byte for byte');
    expect(err).toMatch(/tracker at http:\/\/127\.0\.0\.1:\d+\/announce/);
    expect(demoFolders().filter((name) => !before.has(name))).toEqual([]);
  }, 30_000);

  it('prints JSON events with --json, and keeps its folder with --keep', async () => {
    const { code, out } = await runDemo(['--size', '1M', '--peers', '1', '--json', '--keep']);
    const events = jsonLines(out);
    const kept = events.find((e) => e.event === 'kept')?.path as string;
    try {
      expect(code).toBe(0);
      const names = events.map((e) => e.event);
      expect(names.slice(0, 3)).toEqual(['tracker', 'torrent', 'seed']);
      expect(names.filter((n) => n === 'done')).toHaveLength(1);
      expect(events.find((e) => e.event === 'summary')).toMatchObject({ ok: true, length: 1024 * 1024, files: 5, downloaders: 1 });
      expect(existsSync(kept)).toBe(true);
      expect(readdirSync(kept).sort()).toEqual(['downloader-1', 'gtorr-demo.torrent', 'seed']);
    } finally {
      if (kept) rmSync(kept, { recursive: true, force: true });
    }
  }, 30_000);

  it('stops on Ctrl-C while downloading, cleans up, and exits 1', async () => {
    const before = new Set(demoFolders());
    const controller = new AbortController();
    const io = captureIo({ signal: controller.signal });
    // Ctrl-C the moment the downloaders start.
    const stdout = {
      write: (text: string) => {
        io.stdout.write(text);
        if (text.includes('"event":"seed"')) controller.abort(new Error('stopped by SIGINT'));
      },
    };
    expect(await main(['demo', '--size', '8M', '--json'], { ...io, stdout })).toBe(1);
    const events = jsonLines(io.out());
    expect(events.at(-1)?.event).toBe('stopped');
    expect(events.some((e) => e.event === 'summary')).toBe(false);
    expect(demoFolders().filter((name) => !before.has(name))).toEqual([]);
  }, 30_000);

  it.each([[['--size', '0']], [['--size', 'lots']], [['--peers', '99']], [['extra']], [['--bogus']]])('exits 2 on bad usage: %j', async (args) => {
    const io = captureIo();
    expect(await main(['demo', ...args], io)).toBe(2);
    expect(io.err()).toMatch(/^gtorr: .*\n$/);
  });

  it('has help with examples', async () => {
    const io = captureIo();
    expect(await main(['demo', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: gtorr demo [--size BYTES] [--peers N] [--json] [--keep]');
    expect(io.out()).toContain('Examples:');
  });
});
