import { describe, expect, it } from 'vitest';
import { parseDemoOptions, parseSize } from '../src/demo/demo-options.js';
import { parsePeers, parseRate, parseTorrentFlags, parseWhole } from '../src/torrent-flags.js';
import { UsageError } from '../src/errors.js';

describe('parseRate', () => {
  it.each([
    ['500000', 500_000],
    ['500K', 500 * 1024],
    ['500k', 500 * 1024],
    ['10M', 10 * 1024 * 1024],
    ['1.5M', 1.5 * 1024 * 1024],
    ['10MiB/s', 10 * 1024 * 1024],
    ['10MB', 10 * 1024 * 1024],
    ['2G', 2 * 1024 ** 3],
    [' 64K ', 64 * 1024],
  ])('reads %j as %d bytes per second', (text, bytes) => expect(parseRate(text, '--x')).toBe(bytes));

  it('reads 0 as no limit', () => {
    expect(parseRate('0', '--x')).toBeUndefined();
    expect(parseRate('0M', '--x')).toBeUndefined();
  });

  it.each(['', 'fast', '-1M', '10X', '1e6', '10 M/h', '100', '1T'])('refuses %j with a usage error naming the flag', (text) => {
    expect(() => parseRate(text, '--upload-limit')).toThrow(UsageError);
    expect(() => parseRate(text, '--upload-limit')).toThrow(/--upload-limit/);
  });
});

describe('parsePeers', () => {
  it('normalizes and dedupes host:port and [v6]:port', () => {
    expect(parsePeers(['127.0.0.1:6881', '[::1]:51413', '127.0.0.1:6881', 'Example.com:80', '[0:0::1]:51413'])).toEqual(['127.0.0.1:6881', '[::1]:51413', 'example.com:80']);
  });

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':6881', '::1:6881', 'a b:1', '1.2.3.4:x'])('refuses %j', (text) => {
    expect(() => parsePeers([text])).toThrow(/--peer must be HOST:PORT/);
  });
});

describe('parseTorrentFlags', () => {
  it('gives no port, peers or limits when none are given', () => {
    expect(parseTorrentFlags({})).toEqual({ port: undefined, host: undefined, peers: [], maxPeers: undefined, uploadLimit: undefined, downloadLimit: undefined });
  });

  it('reads every flag', () => {
    expect(parseTorrentFlags({ port: '0', host: '[::1]', peer: ['10.0.0.2:6881'], 'max-peers': '20', 'upload-limit': '1M', 'download-limit': '512K' })).toEqual({
      port: 0,
      host: '::1',
      peers: ['10.0.0.2:6881'],
      maxPeers: 20,
      uploadLimit: 1024 * 1024,
      downloadLimit: 512 * 1024,
    });
  });

  it.each([
    [{ port: '65536' }, /--port must be a whole number from 0 to 65535/],
    [{ port: '-1' }, /--port/],
    [{ port: '80.5' }, /--port/],
    [{ 'max-peers': '0' }, /--max-peers must be a whole number from 1/],
    [{ host: '' }, /--host/],
  ])('refuses %j', (values, message) => expect(() => parseTorrentFlags(values)).toThrow(message));

  it('parses whole numbers in range only', () => {
    expect(parseWhole('7', '--n', 1, 8)).toBe(7);
    expect(() => parseWhole('9', '--n', 1, 8)).toThrow(UsageError);
  });
});

describe('demo options', () => {
  it('defaults to 64 MiB, two downloaders, text, clean up', () => {
    expect(parseDemoOptions([])).toEqual({ size: 64 * 1024 * 1024, peers: 2, json: false, keep: false });
  });

  it('reads --size with units, --peers, --json and --keep', () => {
    expect(parseDemoOptions(['--size', '512K', '--peers', '3', '--json', '--keep'])).toEqual({ size: 512 * 1024, peers: 3, json: true, keep: true });
    expect(parseSize('1000', '--size', 10_000)).toBe(1000);
    expect(parseSize('1.5M', '--size', 2 ** 30)).toBe(1.5 * 1024 * 1024);
  });

  it.each([['--size', '0'], ['--size', '5G'], ['--size', 'big'], ['--peers', '0'], ['--peers', '9'], ['extra'], ['--nope']])('refuses %j', (...args) => {
    expect(() => parseDemoOptions(args)).toThrow();
  });
});
