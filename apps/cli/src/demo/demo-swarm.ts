import { join } from 'node:path';
import type { Session, Torrent } from '@gtorr/client';
import type { Metainfo } from '@gtorr/metainfo';
import { whenDone } from '../when-done.js';

const HOST = '127.0.0.1';

/** One member of the demo's swarm: its own session (its own port, peer id and hash workers) and torrent. */
export interface SwarmMember {
  readonly session: Session;
  readonly torrent: Torrent;
  readonly port: number;
  readonly directory: string;
}

/**
 * The demo's swarm on loopback: one seed serving `dataDir`, and downloaders each into a
 * folder of its own under `root`. Each finds the others through the torrent's tracker,
 * and is given the seed's address as well, so a slow first announce costs no time.
 */
export class DemoSwarm {
  readonly downloaders: SwarmMember[] = [];
  private seedMember: SwarmMember | undefined;
  private readonly sessions: Session[] = [];

  constructor(private readonly metainfo: Metainfo) {}

  get seed(): SwarmMember {
    if (!this.seedMember) throw new Error('the seed has not started');
    return this.seedMember;
  }

  /** Starts the seed; resolves once it has checked its data and serves it. */
  async startSeed(dataDir: string, signal: AbortSignal): Promise<SwarmMember> {
    this.seedMember = await this.member(dataDir, []);
    await whenDone(this.seedMember.torrent, signal);
    return this.seedMember;
  }

  /** Starts `count` downloaders in `root/downloader-N`, all at once. */
  async startDownloaders(root: string, count: number): Promise<SwarmMember[]> {
    const seedAddress = `${HOST}:${this.seed.port}`;
    for (let i = 1; i <= count; i++) this.downloaders.push(await this.member(join(root, `downloader-${i}`), [seedAddress]));
    return this.downloaders;
  }

  /** Every member, seed first. */
  members(): SwarmMember[] {
    return [...(this.seedMember ? [this.seedMember] : []), ...this.downloaders];
  }

  /** Closes every session (stopping its torrent: trackers are told, resume data saved). */
  async close(): Promise<void> {
    await Promise.all(this.sessions.splice(0).map((session) => session.close()));
  }

  private async member(directory: string, peers: string[]): Promise<SwarmMember> {
    const { Session } = await import('@gtorr/client');
    const session = new Session({ host: HOST, port: 0 });
    this.sessions.push(session);
    const { port } = await session.start();
    const torrent = session.add(this.metainfo, { directory, peers });
    const member = { session, torrent, port, directory };
    // Failures surface through whenDone(); the listener keeps an unheard 'error' from throwing.
    torrent.on('error', () => undefined);
    return member;
  }
}
