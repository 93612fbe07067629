#!/usr/bin/env python3
# Makes a v1 .torrent with libtorrent 2.0, for @gtorr/interop's createTorrent(). Run with
# /usr/bin/python3 (Debian's python3-libtorrent).
#
#   create-torrent.py '<options as JSON>'
#
# Options: source (a file or folder; the torrent's name is its base name), output (the
# .torrent to write), pieceLength, trackers (announce URLs, one tier each), randomSize
# (when given and source does not exist yet: first write that many random bytes to source,
# a single file), version (1, the default, or 2 for a v2-only torrent). Prints
# {"infoHash": "<v1 hex>", "pieces": N, "length": N} on stdout; for a v2-only torrent
# infoHash is "" and "infoHashV2" holds the v2 hex.
import json
import os
import sys

import libtorrent as lt

CHUNK = 4 * 1024 * 1024


def main():
    options = json.loads(sys.argv[1])
    source = os.path.abspath(options['source'])
    size = options.get('randomSize')
    if size is not None and not os.path.exists(source):
        partial = source + '.partial'
        with open(partial, 'wb') as f:
            left = int(size)
            while left > 0:
                n = min(CHUNK, left)
                f.write(os.urandom(n))
                left -= n
        os.rename(partial, source)

    files = lt.file_storage()
    lt.add_files(files, source)
    v2 = options.get('version') == 2
    creator = lt.create_torrent(files, int(options['pieceLength']), flags=lt.create_torrent.v2_only if v2 else lt.create_torrent.v1_only)
    for tier, url in enumerate(options.get('trackers') or []):
        creator.add_tracker(url, tier)
    creator.set_creator('gtorr interop')
    lt.set_piece_hashes(creator, os.path.dirname(source))
    data = lt.bencode(creator.generate())
    partial = options['output'] + '.partial'
    with open(partial, 'wb') as f:
        f.write(data)
    os.rename(partial, options['output'])
    info = lt.torrent_info(options['output'])
    hashes = info.info_hashes()
    created = {'infoHash': '' if v2 else str(hashes.v1), 'pieces': info.num_pieces(), 'length': info.total_size()}
    if v2:
        created['infoHashV2'] = str(hashes.v2)
    print(json.dumps(created), flush=True)


if __name__ == '__main__':
    main()
