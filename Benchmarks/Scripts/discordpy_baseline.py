"""Baseline (b): discord.py 2.7.1's own AudioPlayer thread and FFmpegPCMAudio source, N streams.

discord.py needs a live Discord gateway to build a VoiceClient, so each player gets a stand-in
client whose send_audio_packet does what discord.py's does up to the socket (libopus encode via
discord.opus.Encoder) and then hands the Opus packet over loopback UDP to the benchmark, which
relays it to the local voice server through that stream's own encrypted connection.
Prints one JSON object: per-stream send deviation (µs), time to first packet, CPU and RSS.
"""
import asyncio, json, os, resource, socket, struct, sys, threading, time

import discord
from discord.player import AudioPlayer, FFmpegPCMAudio

path, streams, relay_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
loop = asyncio.new_event_loop()
threading.Thread(target=loop.run_forever, daemon=True).start()


class _WS:
    async def speak(self, state):
        return None


class _Outer:
    def __init__(self):
        self.loop = loop


class RelayClient:
    """The part of discord.VoiceClient that AudioPlayer calls, ending at a UDP relay."""

    def __init__(self, index, sock):
        self.index, self.sock = index, sock
        self.encoder = discord.opus.Encoder()
        self.ws, self.client, self.timeout = _WS(), _Outer(), 5
        self.sends = []

    def is_connected(self):
        return True

    def wait_until_connected(self, timeout):
        return True

    def send_audio_packet(self, data, *, encode=True):
        # The 5 silence frames discord.py sends back to back at the end are not paced audio.
        if encode:
            self.sends.append(time.perf_counter())
        packet = self.encoder.encode(data, self.encoder.SAMPLES_PER_FRAME) if encode else data
        self.sock.sendto(struct.pack(">H", self.index) + packet, ("127.0.0.1", relay_port))


def statm_bytes(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
clients = [RelayClient(i, sock) for i in range(streams)]
done = [threading.Event() for _ in range(streams)]
started = time.perf_counter()
players = []
for i, client in enumerate(clients):
    source = FFmpegPCMAudio(path)
    player = AudioPlayer(source, client, after=lambda error, i=i: done[i].set())
    players.append((player, source))
    player.start()

peak_rss = 0
while not all(event.is_set() for event in done):
    rss = statm_bytes(os.getpid()) + sum(statm_bytes(s._process.pid) for _, s in players if s._process)
    peak_rss = max(peak_rss, rss)
    time.sleep(0.25)
for player, _ in players:
    player.join()

usage_self = resource.getrusage(resource.RUSAGE_SELF)
usage_children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = sum(u.ru_utime + u.ru_stime for u in (usage_self, usage_children))
deviations, first = [], []
for client in clients:
    if not client.sends:
        deviations.append([]); first.append(0); continue
    # discord.py anchors its schedule before the first read, so after a slow ffmpeg start it
    # sends a burst to catch up. Deviation is measured from the best-fit 20 ms grid (median
    # offset), so the burst shows as early frames and the steady state as its own jitter.
    offsets = sorted(t - 0.02 * k for k, t in enumerate(client.sends))
    anchor = offsets[len(offsets) // 2]
    deviations.append([int((t - (anchor + 0.02 * k)) * 1e6) for k, t in enumerate(client.sends)])
    first.append((client.sends[0] - started) * 1000)
print(json.dumps({"deviations": deviations, "first_packet_ms": first, "cpu_seconds": cpu,
                  "peak_rss_bytes": peak_rss, "sent": sum(len(c.sends) for c in clients)}))
