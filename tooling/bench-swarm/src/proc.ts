// CPU time and memory of a running process group, from /proc (Linux): for seeders, which
// run across rounds, so GNU time cannot measure one round of theirs.
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ: 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** User plus system CPU seconds used so far by the live processes of group `pgid`. */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime: fields 14 and 15 of stat, 11 and 12 after "(comm)".
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * The sums of VmRSS and of RssAnon over the live processes of group `pgid`, in bytes.
 * RssAnon leaves out file pages a process maps (libtorrent 2.0 maps the torrent's files,
 * so its VmRSS grows with the data it serves or downloads).
 */
export function groupRssBytes(pgid: number): { rss: number; anon: number } {
  let rss = 0;
  let anon = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      anon += Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rss: rss * 1024, anon: anon * 1024 };
}
