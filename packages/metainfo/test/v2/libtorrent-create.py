# Makes a .torrent of PATH with libtorrent (the reference implementation of BEP 52), so
# tests can compare our hashes and bytes with its. Run with /usr/bin/python3 (the one with
# python3-libtorrent). Usage: libtorrent-create.py PATH PIECE_LENGTH v1|v2|hybrid OUT
import os
import sys

import libtorrent as lt

path, piece_length, mode, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
fs = lt.file_storage()
lt.add_files(fs, path)
flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[mode]
ct = lt.create_torrent(fs, piece_length, flags=flags)
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
with open(out, "wb") as f:
    f.write(lt.bencode(ct.generate()))
