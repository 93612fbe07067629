#!/usr/bin/env python3
# Seeds a fresh v1 torrent of random data from libtorrent on 127.0.0.1, for the
# @gtorr/wire interop test. Run with /usr/bin/python3 (it has python3-libtorrent).
#
#   libtorrent-seed.py PORT WORKDIR
#
# Writes WORKDIR/data.bin (3 pieces of 256 KiB, the last one shorter) and
# WORKDIR/data.torrent, seeds them on 127.0.0.1:PORT over TCP only, prints one JSON line
# {"ready": true, ...} once seeding, then runs until it is killed. When a file
# WORKDIR/connect appears holding a port number, the seed dials 127.0.0.1:that port (so the
# test can check an incoming connection too).
import json
import os
import sys
import time

import libtorrent as lt

PIECE_LENGTH = 256 * 1024
LENGTH = 3 * PIECE_LENGTH - 1000


def main() -> None:
    port = int(sys.argv[1])
    workdir = sys.argv[2]
    data_path = os.path.join(workdir, 'data.bin')
    with open(data_path, 'wb') as f:
        f.write(os.urandom(LENGTH))

    files = lt.file_storage()
    lt.add_files(files, data_path)
    creator = lt.create_torrent(files, PIECE_LENGTH, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(creator, workdir)
    torrent_path = os.path.join(workdir, 'data.torrent')
    with open(torrent_path, 'wb') as f:
        f.write(lt.bencode(creator.generate()))

    # Loopback only, TCP only, nothing that reaches past this machine.
    session = lt.session({
        'listen_interfaces': f'127.0.0.1:{port}',
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True,
        # gtorr speaks plain BitTorrent: dial in plaintext (libtorrent tries MSE first by default).
        'out_enc_policy': 2,
        'alert_mask': 0,
    })
    info = lt.torrent_info(torrent_path)
    handle = session.add_torrent({'ti': info, 'save_path': workdir})

    deadline = time.time() + 30
    while not handle.status().is_seeding:
        if time.time() > deadline:
            print(json.dumps({'ready': False, 'state': str(handle.status().state)}), flush=True)
            sys.exit(1)
        time.sleep(0.05)

    print(json.dumps({
        'ready': True,
        'port': session.listen_port(),
        'torrent': torrent_path,
        'infoHash': str(info.info_hashes().v1),
        'pieces': info.num_pieces(),
    }), flush=True)
    connect_path = os.path.join(workdir, 'connect')
    while True:
        if os.path.exists(connect_path):
            with open(connect_path) as f:
                target = int(f.read().strip())
            os.remove(connect_path)
            handle.connect_peer(('127.0.0.1', target))
        time.sleep(0.05)


if __name__ == '__main__':
    main()
