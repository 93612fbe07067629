import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command, CommandEntry } from '../src/command.js';
import { commands } from '../src/commands/index.js';
import { UsageError } from '../src/errors.js';
import { captureIo, type CapturedIo } from './capture-io.js';
import { main } from '../src/main.js';

function capture(): CapturedIo {
  return captureIo();
}

const echo: Command = {
  name: 'echo',
  summary: 'prints its arguments',
  help: 'Usage: gtorr echo <words...>\n',
  run: (args, io) => {
    if (args.includes('--boom')) throw new Error('it broke');
    if (args.length === 0) throw new UsageError('echo needs words');
    io.stdout.write(`${args.join(' ')}\n`);
    return Promise.resolve(0);
  },
};

const registry: CommandEntry[] = [{ name: 'echo', load: () => Promise.resolve(echo) }];

describe('gtorr main', () => {
  it('prints the version from package.json', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists commands in --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io, registry)).toBe(0);
    expect(io.out()).toContain('echo');
    expect(io.out()).toContain('prints its arguments');
  });

  it('exits 2 with usage when given no command', async () => {
    const io = capture();
    expect(await main([], io, registry)).toBe(2);
    expect(io.out()).toContain('Usage: gtorr');
  });

  it('dispatches to the named command', async () => {
    const io = capture();
    expect(await main(['echo', 'a', 'b'], io, registry)).toBe(0);
    expect(io.out()).toBe('a b\n');
  });

  it('shows a command help with --help and with gtorr help <command>', async () => {
    const a = capture();
    expect(await main(['echo', '--help'], a, registry)).toBe(0);
    expect(a.out()).toBe(echo.help);
    const b = capture();
    expect(await main(['help', 'echo'], b, registry)).toBe(0);
    expect(b.out()).toBe(echo.help);
  });

  it('rejects an unknown command with exit 2 and one line on stderr', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io, registry)).toBe(2);
    expect(io.err()).toBe("gtorr: unknown command 'frobnicate' (see gtorr --help)\n");
  });

  it('maps usage errors to 2 and run-time errors to 1, without a stack trace', async () => {
    const usage = capture();
    expect(await main(['echo'], usage, registry)).toBe(2);
    expect(usage.err()).toBe('gtorr: echo needs words\n');
    const failure = capture();
    expect(await main(['echo', '--boom'], failure, registry)).toBe(1);
    expect(failure.err()).toBe('gtorr: it broke\n');
  });

  it('prints the stack trace only with --debug', async () => {
    const io = capture();
    expect(await main(['echo', '--boom', '--debug'], io, registry)).toBe(1);
    expect(io.err()).toContain('at ');
  });
});

describe('the command registry', () => {
  it('loads, for each name it lists, the command of that name', async () => {
    for (const entry of commands) expect((await entry.load()).name).toBe(entry.name);
  });
});

describe('the built gtorr bin', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

  it('runs as a process with exit codes 0 and 2', () => {
    const version = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8', timeout: 10_000 });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8', timeout: 10_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command');
  });
});
