# libtorrent as a reference (named so as not to shadow the libtorrent module) for @gtorr/storage tests (Debian python3-libtorrent 2.0).
#   create DATA_PATH OUT.torrent VERSION PIECE_LENGTH   makes a v1, v2 or hybrid torrent of DATA_PATH
#   check TORRENT SAVE_PATH                             hashes the data under SAVE_PATH, prints JSON:
#                                                       {"pieces": [bool...], "files": [bytes done...]}
import json
import os
import sys
import time

import libtorrent as lt


def create(data_path, out, version, piece_length):
    fs = lt.file_storage()
    lt.add_files(fs, data_path)
    flags = {'1': lt.create_torrent.v1_only, '2': lt.create_torrent.v2_only, 'hybrid': 0}[version]
    ct = lt.create_torrent(fs, int(piece_length), flags=flags)
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(data_path)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(ct.generate()))


def check(torrent, save_path):
    settings = {
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'listen_interfaces': '127.0.0.1:0', 'alert_mask': int(lt.alert_category.status) | int(lt.alert_category.error),
    }
    session = lt.session(settings)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    handle = session.add_torrent(params)
    # With no resume data libtorrent hashes whatever is on disk, then says torrent_checked.
    deadline = time.time() + 60
    checked = False
    while not checked and time.time() < deadline:
        session.wait_for_alert(500)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.torrent_checked_alert):
                checked = True
    if not checked:
        sys.exit('libtorrent did not finish checking in 60 s')
    status = handle.status(lt.status_flags_t.query_pieces)
    print(json.dumps({'pieces': [bool(p) for p in status.pieces], 'files': list(handle.file_progress())}))


if __name__ == '__main__':
    {'create': create, 'check': check}[sys.argv[1]](*sys.argv[2:])
