"""wavelink 3.5.2 driven through its public API against `cadence node`. discord.py is installed
but never logs in: duck-typed client, guild and channel objects stand in for Discord, and the
guild answers `change_voice_state` with the two gateway events a real one would cause."""
import asyncio
import types

import wavelink

import harness


class FakeGuild:
    def __init__(self, args, client):
        self.id = args.guild_id
        self.args = args
        self.client = client

    async def change_voice_state(self, *, channel, self_mute=False, self_deaf=False):
        args, player = self.args, self.client.player
        await player.on_voice_state_update({
            'guild_id': str(args.guild_id), 'user_id': str(args.user_id), 'channel_id': str(channel.id),
            'session_id': 'wavelink-voice-session', 'deaf': False, 'mute': False, 'self_deaf': self_deaf,
            'self_mute': self_mute, 'suppress': False, 'self_video': False, 'request_to_speak_timestamp': None})
        await player.on_voice_server_update({
            'guild_id': str(args.guild_id), 'token': 'wavelink-token', 'endpoint': args.voice_endpoint})


class FakeChannel:
    def __init__(self, args, guild):
        self.id = args.channel_id
        self.guild = guild

    def __str__(self):
        return f'channel {self.id}'


class FakeClient:
    """What wavelink reads of a discord.Client: `user.id`, `get_channel` and `dispatch`."""

    def __init__(self, args):
        self.user = types.SimpleNamespace(id=args.user_id)
        self.player = None
        self.state = {'ready': [], 'end_reasons': []}
        self.guild = FakeGuild(args, self)
        self.channel = FakeChannel(args, self.guild)

    def get_channel(self, channel_id):
        return self.channel

    def dispatch(self, name, *args):
        payload = args[0] if args else None
        if name == 'wavelink_node_ready':
            self.state['ready'].append(payload.resumed)
            harness.emit('ready', resumed=payload.resumed, sessionId=payload.session_id)
        elif name == 'wavelink_track_start':
            harness.emit('event', type='TrackStartEvent', title=payload.track.title)
        elif name == 'wavelink_track_end':
            self.state['end_reasons'].append(payload.reason)
            harness.emit('event', type='TrackEndEvent', reason=payload.reason)
        elif name == 'wavelink_player_update':
            harness.emit('op', data={'op': 'playerUpdate', 'state': {
                'time': payload.time, 'position': payload.position, 'connected': payload.connected,
                'ping': payload.ping}})
        elif name == 'wavelink_stats_update':
            harness.emit('op', data={'op': 'stats', 'players': payload.players})
        else:
            harness.emit('dispatch', name=name)


class Driver:
    def __init__(self, player, track, client):
        self.player, self.track, self.client = player, track, client

    async def network_lost(self):
        pass  # wavelink reconnects by itself, with Session-Id

    async def network_back(self):
        pass

    async def play(self, start_ms):
        await self.player.play(self.track, start=start_ms)

    async def volume(self, value):
        await self.player.set_volume(value)

    async def timescale(self, speed):
        filters = wavelink.Filters()
        filters.timescale.set(speed=speed)
        await self.player.set_filters(filters)

    async def clear_filters(self):
        await self.player.set_filters(None)

    async def seek(self, position):
        await self.player.seek(position)

    async def pause(self, paused):
        await self.player.pause(paused)

    async def stop(self):
        await self.player.stop()

    async def wait_resumed(self, timeout):
        await harness.wait_for(lambda: len(self.client.state['ready']) >= 2, timeout, 'a second ready')

    async def wait_end(self, reason, timeout, count=1):
        await harness.wait_for(lambda: self.client.state['end_reasons'].count(reason) >= count, timeout,
                               f'TrackEnd {reason}')


async def main(args):
    proxy = harness.CuttableProxy(args.node_port)
    await proxy.start()
    client = FakeClient(args)
    node = wavelink.Node(uri=f'http://127.0.0.1:{proxy.port}', password=args.password, client=client,
                         resume_timeout=60, inactive_player_timeout=None)
    await wavelink.Pool.connect(nodes=[node], client=client)
    await harness.wait_for(lambda: len(client.state['ready']) >= 1, 15, 'node ready')

    client.player = player = wavelink.Player(client, client.channel)
    await player.connect(timeout=10, reconnect=False)

    tracks = await wavelink.Playable.search(args.media_url)  # a URL: sent without a search prefix
    first = tracks[0] if isinstance(tracks, list) and tracks else None
    harness.emit('loaded', loadType='track' if isinstance(tracks, list) and len(tracks) == 1 else type(tracks).__name__,
                 count=len(tracks), length=first.length if first else None, title=first.title if first else None,
                 encoded=first.encoded if first else None)
    if first is None:
        raise RuntimeError('the URL loaded no track')

    await harness.scenario(Driver(player, first, client), proxy, args.track_seconds)
    await wavelink.Pool.close()


harness.run(main)
