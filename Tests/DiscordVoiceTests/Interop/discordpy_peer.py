"""Drives discord.py 2.7.1's own voice client against a local voice server.

Usage: discordpy_peer.py <ws-port> <seconds> <frequency>

Only two things stand in for Discord: a fake main gateway (the guild's change_voice_state
answers with VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE for 127.0.0.1) and the HTTP object
whose ws_connect opens the URL with ws:// instead of wss:// (loopback has no TLS).
DAVE is switched off by reporting max_dave_protocol_version 0. Everything else -- the
voice WebSocket, IP discovery, encryption, RTP, pacing, Opus encoding -- is discord.py's.
"""
import asyncio
import io
import json
import math
import struct
import sys

import aiohttp
import discord
from discord import voice_state

PORT = int(sys.argv[1])
SECONDS = float(sys.argv[2])
FREQUENCY = float(sys.argv[3])

# DAVE off: the one property discord.py asks.
voice_state.VoiceConnectionState.max_dave_protocol_version = property(lambda self: 0)


class LoopbackHTTP:
    def __init__(self):
        self.session = None

    async def ws_connect(self, url, *, compress=0):
        if self.session is None:
            self.session = aiohttp.ClientSession()
        return await self.session.ws_connect(url.replace('wss://', 'ws://', 1), compress=compress,
                                             max_msg_size=0, autoclose=False, autoping=False)


class FakeUser:
    id = 104694319306248192


class FakeState:
    def __init__(self, loop):
        self.loop = loop
        self.http = LoopbackHTTP()
        self.user = FakeUser()

    def _remove_voice_client(self, key):
        pass


class FakeClient:
    def __init__(self, loop):
        self._connection = FakeState(loop)
        self.loop = loop


class FakeGuild:
    id = 41771983423143937

    def __init__(self):
        self.voice_client = None

    def get_channel(self, channel_id):
        return self.channel

    async def change_voice_state(self, *, channel, self_deaf=False, self_mute=False):
        """The main gateway's op 4 and its two answers."""
        if channel is None:
            return
        # The answers come later over the gateway, after op 4 went out.
        asyncio.get_running_loop().create_task(self._answer(channel))

    async def _answer(self, channel):
        await asyncio.sleep(0.05)
        vc = self.voice_client
        await vc.on_voice_state_update({'channel_id': str(channel.id), 'session_id': 'discordpy-session',
                                        'user_id': str(FakeUser.id), 'guild_id': str(self.id)})
        await vc.on_voice_server_update({'token': 'discordpy-token', 'guild_id': str(self.id),
                                         'endpoint': f'127.0.0.1:{PORT}'})


class FakeChannel:
    id = 127121515262115840

    def __init__(self, guild):
        self.guild = guild

    def _get_voice_client_key(self):
        return self.guild.id, 'guild_id'


def tone_pcm(seconds, frequency):
    frames = int(48000 * seconds)
    out = bytearray()
    for i in range(frames):
        sample = int(0.5 * 32767 * math.sin(2 * math.pi * frequency * i / 48000))
        out += struct.pack('<hh', sample, sample)
    return bytes(out)


async def main():
    discord.opus._load_default()
    loop = asyncio.get_running_loop()
    guild = FakeGuild()
    channel = FakeChannel(guild)
    guild.channel = channel
    vc = discord.VoiceClient(FakeClient(loop), channel)
    guild.voice_client = vc
    await vc.connect(reconnect=False, timeout=10)
    done = asyncio.Event()
    vc.play(discord.PCMAudio(io.BytesIO(tone_pcm(SECONDS, FREQUENCY))),
            after=lambda error: loop.call_soon_threadsafe(done.set))
    await asyncio.wait_for(done.wait(), timeout=SECONDS + 20)
    await asyncio.sleep(0.3)
    result = {'mode': vc.mode, 'ssrc': vc.ssrc, 'sequence': vc.sequence}
    await vc.disconnect(force=True)
    if vc._state.http.session:
        await vc._state.http.session.close()
    print(json.dumps(result))


asyncio.run(main())
