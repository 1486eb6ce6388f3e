"""lavalink.py 5.11.1 driven through its public API against `cadence node`: the Discord side is
raw gateway dicts fed to `voice_update_handler`, as lavalink.py is library-agnostic."""
import asyncio

import lavalink
from lavalink import (IncomingWebSocketMessage, NodeReadyEvent, TrackEndEvent, TrackStartEvent, listener)

import harness


class ResumingPlayer(lavalink.DefaultPlayer):
    """lavalink.py re-creates every player (DELETE, voice, play at its last position) on any node
    `ready` after a disconnect, resumed or not (NodeManager._handle_node_ready -> change_node).
    A bot that turns resuming on keeps its players by not moving them to the node and session
    they are already on, as here."""

    async def change_node(self, node):
        if node is self.node and node.session_id == getattr(self, 'resumed_session', None):
            self._internal_pause = False
            return
        await super().change_node(node)


class Driver:
    def __init__(self, client, node, player, track, state):
        self.client, self.node, self.player, self.track, self.state = client, node, player, track, state

    async def network_lost(self):
        # lavalink.py 5.11.1 builds its handshake headers once per connect() task, so its own
        # reconnect loop never sends Session-Id and always gets a new session. A bot that wants to
        # resume stops that loop and connects again, which sends the session id it was given.
        await self.node._transport.close(reconnect=False)

    async def network_back(self):
        await self.node.connect()

    async def play(self, start_ms):
        await self.player.play(self.track, start_time=start_ms)

    async def volume(self, value):
        await self.player.set_volume(value)

    async def timescale(self, speed):
        await self.player.set_filter(lavalink.Timescale(speed=speed))

    async def clear_filters(self):
        await self.player.clear_filters()

    async def seek(self, position):
        await self.player.seek(position)

    async def pause(self, paused):
        await self.player.set_pause(paused)

    async def stop(self):
        await self.player.stop()

    async def wait_resumed(self, timeout):
        await harness.wait_for(lambda: self.state['ready_count'] >= 2, timeout, 'a second ready')

    async def wait_end(self, reason, timeout, count=1):
        await harness.wait_for(lambda: self.state['end_reasons'].count(reason) >= count, timeout, f'TrackEnd {reason}')


async def main(args):
    proxy = harness.CuttableProxy(args.node_port)
    await proxy.start()
    client = lavalink.Client(args.user_id, player=ResumingPlayer)
    state = {'ready_count': 0, 'end_reasons': []}

    class Hooks:
        @listener(NodeReadyEvent)
        async def ready(self, event: NodeReadyEvent):
            state['ready_count'] += 1
            harness.emit('ready', resumed=event.resumed, sessionId=event.session_id)

        @listener(TrackStartEvent)
        async def start(self, event: TrackStartEvent):
            harness.emit('event', type='TrackStartEvent', title=event.track.title)

        @listener(TrackEndEvent)
        async def end(self, event: TrackEndEvent):
            state['end_reasons'].append(event.reason.value)
            harness.emit('event', type='TrackEndEvent', reason=event.reason.value)

        @listener(IncomingWebSocketMessage)
        async def raw(self, event: IncomingWebSocketMessage):
            harness.emit('op', data=event.data)

    client.add_event_hooks(Hooks())
    node = client.add_node('127.0.0.1', proxy.port, args.password, 'local', name='cadence')
    await harness.wait_for(lambda: state['ready_count'] >= 1, 15, 'ready')
    await node.update_session(resuming=True, timeout=60)

    player = client.player_manager.create(args.guild_id)
    player.resumed_session = node.session_id
    await client.voice_update_handler({'t': 'VOICE_STATE_UPDATE', 'd': {
        'guild_id': str(args.guild_id), 'user_id': str(args.user_id), 'channel_id': str(args.channel_id),
        'session_id': 'lavalink-py-voice-session'}})
    await client.voice_update_handler({'t': 'VOICE_SERVER_UPDATE', 'd': {
        'guild_id': str(args.guild_id), 'token': 'lavalink-py-token', 'endpoint': args.voice_endpoint}})

    result = await client.get_tracks(args.media_url)
    harness.emit('loaded', loadType=result.load_type.value, count=len(result.tracks),
                 length=result.tracks[0].duration if result.tracks else None,
                 title=result.tracks[0].title if result.tracks else None,
                 encoded=result.tracks[0].track if result.tracks else None)
    if result.load_type != lavalink.LoadType.TRACK:
        raise RuntimeError(f'expected a track, got {result.load_type}')
    track = result.tracks[0]
    decoded = lavalink.decode_track(track.track)  # the client's own decoder reads the node's string
    harness.emit('decoded', title=decoded.title, length=decoded.duration, source=decoded.source_name,
                 probe=decoded.extra['source_specific'].get('probe_info'))

    await harness.scenario(Driver(client, node, player, track, state), proxy, args.track_seconds)
    await client.close()


harness.run(main)
