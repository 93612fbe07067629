# Two libtorrent sessions on loopback that can only find each other through the tracker at
# argv[1]: a seed, then (once the seed's announce was answered) a leecher. Prints one JSON
# object a line: {"infoHash": ...}, {"seedAnnounced": true}, {"done": true}.
# Run with /usr/bin/python3 (Debian's python3-libtorrent).
import json, os, sys, time
import libtorrent as lt

tracker, workdir, seed_port, leech_port, deadline = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), time.time() + float(sys.argv[5])

def say(obj):
    print(json.dumps(obj), flush=True)

def session(port):
    return lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'enable_incoming_utp': False, 'enable_outgoing_utp': False,
        'allow_multiple_connections_per_ip': True,
        'alert_mask': lt.alert.category_t.all_categories,
    })

seed_dir = os.path.join(workdir, 'seed')
leech_dir = os.path.join(workdir, 'leech')
os.makedirs(seed_dir); os.makedirs(leech_dir)
with open(os.path.join(seed_dir, 'data.bin'), 'wb') as f:
    f.write(os.urandom(256 * 1024))
fs = lt.file_storage()
lt.add_files(fs, os.path.join(seed_dir, 'data.bin'))
ct = lt.create_torrent(fs, 16384, flags=lt.create_torrent.v1_only)
ct.add_tracker(tracker)
lt.set_piece_hashes(ct, seed_dir)
info = lt.torrent_info(lt.bencode(ct.generate()))
say({'infoHash': str(info.info_hashes().v1)})

def wait_reply(ses, what):
    while time.time() < deadline:
        for a in ses.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert):
                return
            if isinstance(a, (lt.tracker_error_alert, lt.tracker_warning_alert)):
                say({'trackerAlert': what, 'message': a.message()})
        ses.wait_for_alert(200)
    say({'timeout': what}); sys.exit(1)

seed = session(seed_port)
seed.add_torrent({'ti': info, 'save_path': seed_dir, 'flags': lt.torrent_flags.seed_mode})
wait_reply(seed, 'seed')
say({'seedAnnounced': True})

leech = session(leech_port)
handle = leech.add_torrent({'ti': lt.torrent_info(lt.bencode(ct.generate())), 'save_path': leech_dir})
while time.time() < deadline:
    leech.pop_alerts(); seed.pop_alerts()
    if handle.status().is_seeding:
        say({'done': True})
        break
    time.sleep(0.1)
else:
    say({'timeout': 'download'}); sys.exit(1)
# Stay until told to stop: the test checks the swarm, then ends the process group.
while time.time() < deadline:
    leech.pop_alerts(); seed.pop_alerts()
    time.sleep(0.2)
