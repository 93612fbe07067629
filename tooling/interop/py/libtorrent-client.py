#!/usr/bin/env python3
# One libtorrent 2.0 session on 127.0.0.1 with ONE torrent, as a seed or a leecher, for
# @gtorr/interop's startLibtorrent(). Run with /usr/bin/python3 (Debian's python3-libtorrent).
#
#   libtorrent-client.py '<options as JSON>'
#
# Options: torrent (path) or magnet; saveDir; port; role ('seed' | 'leech'); peers
# (['host:port', ...], dialled by hand and redialled every 2 s while not connected);
# useTrackers (default true: the torrent's own announce URLs); trackers (extra announce
# URLs); highPerformanceSeed; pex; skipCheck (seed_mode: trust the data, no check);
# exitOnDone (leech: exit 0 right after "done", for measurements); settings (more
# settings_pack keys).
#
# Prints one JSON object a line on stdout:
#   {"event":"ready", ...}     listening (leech), or listening and seeding (seed)
#   {"event":"progress", ...}  about every 250 ms
#   {"event":"done", ...}      every piece downloaded, verified and flushed to the files (leech)
#   {"event":"error", ...}     a torrent or file error (the session keeps running)
# and runs until it is killed (or, with exitOnDone, until done).
import json
import os
import sys
import time

import libtorrent as lt


def say(event, **fields):
    fields['event'] = event
    sys.stdout.write(json.dumps(fields) + '\n')
    sys.stdout.flush()


def endpoint(text):
    host, _, port = text.rpartition(':')
    return (host.strip('[]'), int(port))


def main():
    options = json.loads(sys.argv[1])
    role = options['role']
    port = int(options['port'])

    settings = lt.high_performance_seed() if options.get('highPerformanceSeed') else {}
    settings.update({
        # Loopback only, TCP only, nothing that reaches past this machine.
        'listen_interfaces': '127.0.0.1:%d' % port,
        'outgoing_interfaces': '127.0.0.1',
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        # Every peer is 127.0.0.1; they differ by port only.
        'allow_multiple_connections_per_ip': True,
        # Dial in plaintext (libtorrent tries MSE first by default); accept both.
        'out_enc_policy': int(lt.enc_policy.pe_disabled),
        'in_enc_policy': int(lt.enc_policy.pe_enabled),
        'allowed_enc_level': int(lt.enc_level.both),
        # A stopped announce must not hold up the exit of a test.
        'stop_tracker_timeout': 1,
        # Extra trackers are tiers of their own: announce to each of them.
        'announce_to_all_tiers': True,
        'announce_to_all_trackers': True,
        'alert_mask': int(lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
                          | lt.alert.category_t.storage_notification),
    })
    settings.update(options.get('settings') or {})
    session = lt.session(settings)

    if options.get('magnet'):
        params = lt.parse_magnet_uri(options['magnet'])
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(options['torrent'])
    params.save_path = options['saveDir']
    flags = params.flags | lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd
    if not options.get('pex'):
        flags |= lt.torrent_flags.disable_pex
    if role == 'seed' and options.get('skipCheck'):
        flags |= lt.torrent_flags.seed_mode
    flags &= ~lt.torrent_flags.auto_managed
    # Added paused so that no announce goes out before the tracker list is final.
    params.flags = flags | lt.torrent_flags.paused
    handle = session.add_torrent(params)
    trackers = [(t['url'], t['tier']) for t in handle.trackers()] if options.get('useTrackers', True) else []
    top = max([tier for _, tier in trackers], default=-1)
    trackers += [(url, top + 1 + i) for i, url in enumerate(options.get('trackers') or [])]
    handle.replace_trackers([{'url': url, 'tier': tier} for url, tier in trackers])
    handle.resume()

    peers = [endpoint(p) for p in options.get('peers') or []]
    finished_peers = set()
    last_dial = 0.0
    started = time.time()
    ready = False
    done = False
    flush_started = None
    flushed = False
    last_progress = 0.0

    def info_hash():
        hashes = handle.info_hashes()
        return str(hashes.v1) if hashes.has_v1() else str(hashes.v2)

    while True:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.cache_flushed_alert):
                flushed = True
            if isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert, lt.listen_failed_alert)):
                say('error', type=type(alert).__name__, message=alert.message())
        status = handle.status()
        now = time.time()

        if not ready and session.is_listening() and (role == 'leech' or status.is_seeding):
            ready = True
            say('ready', port=session.listen_port(), role=role, infoHash=info_hash(),
                name=status.name, totalWanted=status.total_wanted, seconds=round(now - started, 3))

        if peers and now - last_dial >= 2.0:
            # Redial peers we are not connected to: the other side may not listen yet.
            last_dial = now
            connected = set()
            for peer in handle.get_peer_info():
                connected.add(peer.ip)
                if peer.flags & lt.peer_info.seed:
                    finished_peers.add(peer.ip)
            for peer in peers:
                if peer not in connected and peer not in finished_peers and not (role == 'leech' and done):
                    handle.connect_peer(peer)

        if now - last_progress >= 0.25:
            last_progress = now
            say('progress', progress=round(status.progress, 6), totalDone=status.total_done,
                downloadRate=status.download_rate, uploadRate=status.upload_rate,
                peers=status.num_peers, state=str(status.state).split('.')[-1],
                uploaded=status.total_payload_upload)

        if role == 'leech' and not done and flush_started is None and status.is_seeding:
            # Every piece passed its hash check, but libtorrent 2.0 hashes blocks that may
            # still wait in its store buffer: flush them to the files before saying "done".
            flush_started = now
            handle.flush_cache()
        if role == 'leech' and not done and flush_started is not None and (flushed or now - flush_started > 60):
            done = True
            if not flushed:
                say('error', type='flush_timeout', message='no cache_flushed_alert within 60 s')
            say('done', seconds=round(now - started, 3), totalDone=status.total_done, infoHash=info_hash())
            if options.get('exitOnDone'):
                # Flushed: the data is in the page cache, so a fast exit loses nothing, and
                # a measurement is not held up by tracker goodbyes.
                os._exit(0)

        session.wait_for_alert(50)


if __name__ == '__main__':
    main()
