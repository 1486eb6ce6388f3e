"""What both client scripts share: JSON-line output, the scenario's timing, and a TCP proxy
between the client and the node that can cut the network (the resume check).

Every line on stdout is one JSON object with "t" (epoch ms, this machine's clock, which the
Swift test and the node share) and "kind". The Swift test reads them after the run.
"""
import argparse
import asyncio
import json
import sys
import time


def now_ms() -> float:
    return time.time() * 1000


def emit(kind: str, **fields):
    print(json.dumps({'t': now_ms(), 'kind': kind, **fields}, default=str), flush=True)


def mark(name: str, **fields):
    emit('mark', name=name, **fields)


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument('--node-port', type=int, required=True)
    parser.add_argument('--password', default='pw')
    parser.add_argument('--media-url', required=True)
    parser.add_argument('--voice-endpoint', required=True)
    parser.add_argument('--user-id', type=int, required=True)
    parser.add_argument('--guild-id', type=int, required=True)
    parser.add_argument('--channel-id', type=int, required=True)
    parser.add_argument('--track-seconds', type=float, required=True)
    return parser.parse_args()


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to the node. `cut()` drops every connection at once (no close
    frame) and refuses new ones until `start()`: what a client sees when its network goes away."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = 0
        self._server = None
        self._transports = set()

    async def start(self):
        self._server = await asyncio.start_server(self._accept, '127.0.0.1', self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, client_reader, client_writer):
        try:
            node_reader, node_writer = await asyncio.open_connection('127.0.0.1', self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        pair = (client_writer.transport, node_writer.transport)
        self._transports.update(pair)

        async def pump(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.transport.abort()

        await asyncio.gather(pump(client_reader, node_writer), pump(node_reader, client_writer))
        self._transports.difference_update(pair)

    async def cut(self):
        """Drops every connection; `start()` takes new ones again."""
        self._server.close()
        for transport in list(self._transports):
            transport.abort()
        self._transports.clear()


async def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f'timed out waiting for {what}')
        await asyncio.sleep(0.02)


def run(main):
    try:
        asyncio.run(main(arguments()))
    except Exception as error:  # the Swift test fails on this line with the reason
        emit('error', message=f'{type(error).__name__}: {error}')
        sys.exit(1)


async def scenario(driver, proxy: CuttableProxy, track_seconds: float):
    """The one timeline both clients play; the Swift test analyses the audio against its marks.
    The track is a staircase tone: 400 + 40·n Hz during its n-th second."""
    mark('play')
    await driver.play(0)
    await asyncio.sleep(4)
    mark('volume50')
    await driver.volume(50)
    await asyncio.sleep(2)
    mark('volume100')
    await driver.volume(100)
    await asyncio.sleep(2)
    mark('timescale')
    await driver.timescale(1.25)
    await asyncio.sleep(4)
    mark('filtersCleared')
    await driver.clear_filters()
    await asyncio.sleep(1)
    mark('seek', position=20_500)
    await driver.seek(20_500)
    await asyncio.sleep(2.5)
    mark('pause')
    await driver.pause(True)
    await asyncio.sleep(1)
    mark('unpause')
    await driver.pause(False)
    await asyncio.sleep(2)
    # The network goes while the track plays its last 1.5 s: its natural end happens while the
    # client is away, so TrackEnd `finished` must wait in the session's queue for the resume.
    end_seek = int((track_seconds - 2) * 1000)
    mark('seekBeforeCut', position=end_seek)
    await driver.seek(end_seek)
    await asyncio.sleep(0.5)
    mark('cut')
    await proxy.cut()
    await driver.network_lost()
    await asyncio.sleep(3)
    await proxy.start()
    mark('restored')
    await driver.network_back()
    await driver.wait_resumed(30)
    mark('resumed')
    await driver.wait_end('finished', 10)
    await asyncio.sleep(0.5)
    mark('replay', position=30_000)
    await driver.play(30_000)
    await asyncio.sleep(2)
    mark('stop')
    await driver.stop()
    await driver.wait_end('stopped', 5)
    await asyncio.sleep(1)
    start = int((track_seconds - 3) * 1000)
    mark('playNearEnd', position=start)
    await driver.play(start)
    await driver.wait_end('finished', 10, count=2)
    mark('done')
