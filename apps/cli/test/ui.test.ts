import { describe, expect, it } from 'vitest';
import { connectFailureLine } from '../src/ui/connect-failure-line.js';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../src/ui/format.js';
import { bar, fit, ProgressLine } from '../src/ui/progress-line.js';
import type { Io } from '../src/io.js';

describe('format', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [1024 ** 3 * 512, '512 GiB'],
  ])('formatBytes(%d) is %s', (n, text) => expect(formatBytes(n)).toBe(text));

  it('formats rates, durations and percentages', () => {
    expect(formatRate(2048)).toBe('2.00 KiB/s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(187)).toBe('3m07s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(Infinity)).toBe('-');
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(2)).toBe('100.0%');
  });

  it('fits a line to a width, dropping whole parts from the end', () => {
    expect(fit('50%  down 1 MiB/s  ETA 3s', 80)).toBe('50%  down 1 MiB/s  ETA 3s');
    expect(fit('50%  down 1 MiB/s  ETA 3s', 20)).toBe('50%  down 1 MiB/s');
    expect(fit('50%  down 1 MiB/s  ETA 3s', 16)).toBe('50%');
    expect(fit('averyveryverylongword', 5)).toBe('avery');
  });

  it('draws a bar', () => {
    expect(bar(0.5, 10)).toBe('[#####.....]');
  });
});

describe('ProgressLine', () => {
  function io(tty: boolean): Io & { text: () => string } {
    let text = '';
    return {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (text += t), isTTY: tty },
      env: {},
      cwd: '/',
      signal: new AbortController().signal,
      text: () => text,
    };
  }

  it('draws nothing when stderr is not a terminal', () => {
    const target = io(false);
    new ProgressLine(target).update('50%', true);
    expect(target.text()).toBe('');
  });

  it('fits the line to the terminal, taking 0 columns for unknown', () => {
    const target = io(true);
    (target.stderr as { columns?: number }).columns = 12;
    new ProgressLine(target).update('50%  down 1 MiB/s', true);
    (target.stderr as { columns?: number }).columns = 0;
    new ProgressLine(target).update('50%  down 1 MiB/s', true);
    expect(target.text()).toBe('\r\x1b[2K50%\r\x1b[2K50%  down 1 MiB/s');
  });

  it('redraws at most once an interval on a terminal', () => {
    const target = io(true);
    let now = 0;
    const line = new ProgressLine(target, 200, () => now);
    line.update('a');
    now = 100;
    line.update('b');
    now = 300;
    line.update('c');
    expect(target.text()).toBe('\r\x1b[2Ka\r\x1b[2Kc');
  });
});

describe('connectFailureLine', () => {
  const address = '10.0.0.7:6881';
  it.each([
    ['ECONNREFUSED', 15_000, 'connection refused); trying again in 15s'],
    ['ETIMEDOUT', 30_000, 'timed out); trying again in 30s'],
    ['WIRE_HANDSHAKE_TIMEOUT', 61_000, 'timed out); trying again in 1m01s'],
    ['EHOSTUNREACH', 15_000, 'unreachable); trying again in 15s'],
    ['ENETUNREACH', 15_000, 'unreachable); trying again in 15s'],
    ['ECONNRESET', null, 'socket error: read ECONNRESET); giving up on it'],
    [undefined, 15_000, 'socket error: read ECONNRESET); trying again in 15s'],
  ])('phrases %s, retry in %s ms', (code, retryInMs, end) => {
    const error = { ...(code === undefined ? {} : { code }), message: `socket error: read ECONNRESET (peer ${address})` };
    expect(connectFailureLine({ address, source: 'manual', error, retryInMs })).toBe(`gtorr: cannot connect to ${address} (${end}\n`);
  });
});
