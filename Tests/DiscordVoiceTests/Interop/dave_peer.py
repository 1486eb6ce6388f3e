"""A DAVE member of a local voice channel, driven by a test over stdin/stdout JSON lines.

Usage: dave_peer.py --port P --user-id U --channel-id C [--guild-id G] --impl davey|libdave [--hold-commits] [--max-dave N]
                   [--never-ready]

It speaks just enough of the v8 voice gateway (hello, identify with max_dave_protocol_version,
select protocol, heartbeats with seq_ack) to be a channel member, and hands every DAVE opcode
to a real implementation nobody here wrote: `davey` 0.1.7 (openmls) or `dave-py` 1.1.0
(Discord's libdave). Media never goes over UDP: the test gives it frames to encrypt or decrypt.

--never-ready makes it a member that never acknowledges a transition (no op 23).
stdout, one JSON object per line, each with "event" and "at" (Unix time):
  hello, op4 {dave}, external_sender, key_package, proposals {op, commit}, commit_sent,
  commit_ready, announce {t, ok, error}, welcome {t, ok, error}, invalid_sent {t},
  prepare {t, version}, execute {t, privacy_code}, prepare_epoch {epoch}, clients {joined|left},
  state {...}, encrypted {frames}, decrypted {frames}, closed {code}, error {message}
stdin commands: {"cmd": "commit" | "state" | "quit"},
  {"cmd": "encrypt", "frames": [hex]}, {"cmd": "decrypt", "user_id": "...", "frames": [hex]}
"""
import argparse
import asyncio
import json
import struct
import sys
import threading
import time

import aiohttp


def emit(event, **fields):
    fields["event"] = event
    fields["at"] = time.time()
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class DaveyMember:
    """davey's DaveSession: it switches its own send key inside process_commit/welcome."""

    def __init__(self, user_id, channel_id):
        import davey
        self.davey = davey
        self.user_id, self.channel_id = int(user_id), channel_id
        self.session = davey.DaveSession(1, self.user_id, channel_id)

    def reinit(self):
        self.session.reinit(1, self.user_id, self.channel_id)

    def set_external_sender(self, payload):
        self.session.set_external_sender(payload)

    def key_package(self):
        return self.session.get_serialized_key_package()

    def proposals(self, payload, recognized):
        op = self.davey.ProposalsOperationType.append if payload[0] == 0 else self.davey.ProposalsOperationType.revoke
        result = self.session.process_proposals(op, payload[1:], [int(u) for u in recognized])
        if result is None:
            return None
        return result.commit + (result.welcome or b"")

    def process_commit(self, commit, recognized):
        self.session.process_commit(commit)

    def process_welcome(self, welcome, recognized):
        self.session.process_welcome(welcome)

    def execute(self):
        pass

    def privacy_code(self):
        return self.session.voice_privacy_code

    def epoch(self):
        return self.session.epoch

    def encrypt(self, frame):
        return self.session.encrypt_opus(frame)

    def decrypt(self, user_id, frame):
        return self.session.decrypt(int(user_id), self.davey.MediaType.audio, frame)


class LibdaveMember:
    """dave-py's Session plus one Encryptor and a Decryptor per sender, as libdave's own
    sample wires them: receive ratchets on commit/welcome, the send ratchet on execute."""

    def __init__(self, user_id, channel_id):
        import dave
        self.dave = dave
        self.user_id, self.channel_id = str(user_id), channel_id
        self.session = dave.Session(lambda source, reason: emit("mls_failure", source=source, reason=reason))
        self.session.init(1, channel_id, self.user_id)
        self.encryptor = dave.Encryptor()
        self.encryptor.assign_ssrc_to_codec(1, dave.Codec.opus)
        self.decryptors = {}
        self.external_sender = None

    def reinit(self):
        self.session.reset()
        self.session.init(1, self.channel_id, self.user_id)
        if self.external_sender is not None:
            self.session.set_external_sender(self.external_sender)

    def set_external_sender(self, payload):
        self.external_sender = payload
        self.session.set_external_sender(payload)

    def key_package(self):
        return self.session.get_marshalled_key_package()

    def proposals(self, payload, recognized):
        return self.session.process_proposals(payload, set(recognized))

    def _install_receive_ratchets(self, recognized):
        for user in set(recognized) | {self.user_id}:
            ratchet = self.session.get_key_ratchet(user)
            if ratchet is None:
                continue
            decryptor = self.decryptors.setdefault(user, self.dave.Decryptor())
            decryptor.transition_to_key_ratchet(ratchet)

    def process_commit(self, commit, recognized):
        result = self.session.process_commit(commit)
        if isinstance(result, self.dave.RejectType):
            raise RuntimeError(f"libdave rejected the commit: {result.name}")
        self._install_receive_ratchets(recognized)

    def process_welcome(self, welcome, recognized):
        result = self.session.process_welcome(welcome, set(recognized))
        if result is None:
            raise RuntimeError("libdave rejected the welcome")
        self._install_receive_ratchets(recognized)

    def execute(self):
        self.encryptor.set_key_ratchet(self.session.get_key_ratchet(self.user_id))

    def privacy_code(self):
        authenticator = self.session.get_last_epoch_authenticator()
        return self.dave.generate_displayable_code(authenticator, 30, 5) if authenticator else None

    def epoch(self):
        return None

    def encrypt(self, frame):
        result = self.encryptor.encrypt(self.dave.MediaType.audio, 1, frame)
        if result is None:
            raise RuntimeError("libdave encryptor has no key")
        return result

    def decrypt(self, user_id, frame):
        decryptor = self.decryptors.get(str(user_id))
        if decryptor is None:
            raise RuntimeError(f"no decryptor for {user_id}")
        result = decryptor.decrypt(self.dave.MediaType.audio, frame)
        if result is None:
            raise RuntimeError("libdave could not decrypt")
        return result


class Peer:
    def __init__(self, args):
        self.args = args
        self.user_id = str(args.user_id)
        self.member = None
        self.recognized = {self.user_id}
        self.seq_ack = -1
        self.pending_transitions = {}
        self.held_commit = None
        self.ws = None

    async def send_json(self, op, d):
        await self.ws.send_str(json.dumps({"op": op, "d": d}))

    async def send_binary(self, op, payload):
        await self.ws.send_bytes(bytes([op]) + payload)

    async def start_member(self):
        impl = LibdaveMember if self.args.impl == "libdave" else DaveyMember
        if self.member is None:
            self.member = impl(self.user_id, self.args.channel_id)
        else:
            self.member.reinit()
        await self.send_binary(26, self.member.key_package())
        emit("key_package")

    async def recover(self, transition_id):
        await self.send_json(31, {"transition_id": transition_id})
        emit("invalid_sent", t=transition_id)
        await self.start_member()

    async def on_json(self, message):
        op, d = message["op"], message.get("d")
        if "seq" in message and message["seq"] is not None:
            self.seq_ack = message["seq"]
        if op == 8:
            asyncio.get_running_loop().create_task(self.heartbeat(d["heartbeat_interval"]))
            await self.send_json(0, {"server_id": self.args.guild_id, "user_id": self.user_id,
                                     "session_id": f"peer-{self.user_id}", "token": "token-1",
                                     "max_dave_protocol_version": self.args.max_dave})
            emit("hello")
        elif op == 2:
            await self.send_json(1, {"protocol": "udp", "data": {"address": "127.0.0.1", "port": 9,
                                                                 "mode": d["modes"][0]}})
        elif op == 4:
            emit("op4", dave=d.get("dave_protocol_version", 0))
            if d.get("dave_protocol_version", 0) >= 1:
                await self.start_member()
        elif op == 11:
            self.recognized |= set(d["user_ids"])
            emit("clients", joined=d["user_ids"])
        elif op == 13:
            self.recognized.discard(d["user_id"])
            emit("clients", left=d["user_id"])
        elif op == 21:
            self.pending_transitions[d["transition_id"]] = d["protocol_version"]
            emit("prepare", t=d["transition_id"], version=d["protocol_version"])
            if d["transition_id"] == 0:
                self.execute(0)
            else:
                await self.send_json(23, {"transition_id": d["transition_id"]})
        elif op == 22:
            self.execute(d["transition_id"])
        elif op == 24:
            emit("prepare_epoch", epoch=d["epoch"])
            if d["epoch"] == 1:
                await self.start_member()

    def execute(self, transition_id):
        if transition_id not in self.pending_transitions:
            return
        version = self.pending_transitions.pop(transition_id)
        if version >= 1 and self.member is not None:
            self.member.execute()
        emit("execute", t=transition_id, privacy_code=self.member.privacy_code() if self.member else None)

    async def on_binary(self, frame):
        self.seq_ack = struct.unpack_from(">H", frame, 0)[0]
        op, payload = frame[2], frame[3:]
        if self.member is None:
            return
        if op == 25:
            self.member.set_external_sender(payload)
            emit("external_sender")
        elif op == 27:
            try:
                commit = self.member.proposals(payload, self.recognized)
            except Exception as error:  # a peer's refusal is data for the test, not a crash
                emit("proposals", op=payload[0], commit=False, error=str(error))
                return
            emit("proposals", op=payload[0], commit=commit is not None)
            self.held_commit = commit
            if commit is not None:
                if self.args.hold_commits:
                    emit("commit_ready")
                else:
                    await self.send_commit()
        elif op in (29, 30):
            transition_id = struct.unpack_from(">H", payload, 0)[0]
            name = "announce" if op == 29 else "welcome"
            try:
                if op == 29:
                    self.member.process_commit(payload[2:], self.recognized)
                else:
                    self.member.process_welcome(payload[2:], self.recognized)
            except Exception as error:
                emit(name, t=transition_id, ok=False, error=str(error))
                await self.recover(transition_id)
                return
            emit(name, t=transition_id, ok=True, epoch=self.member.epoch())
            self.pending_transitions[transition_id] = 1
            if transition_id == 0:
                self.execute(0)
            elif not self.args.never_ready:
                await self.send_json(23, {"transition_id": transition_id})

    async def send_commit(self):
        if self.held_commit is None:
            emit("no_commit")
            return
        await self.send_binary(28, self.held_commit)
        emit("commit_sent", size=len(self.held_commit))

    async def heartbeat(self, interval_ms):
        while not self.ws.closed:
            await self.send_json(3, {"t": int(time.time() * 1000), "seq_ack": self.seq_ack})
            await asyncio.sleep(interval_ms / 1000)

    async def on_command(self, command):
        name = command.get("cmd")
        if name == "commit":
            await self.send_commit()
        elif name == "state":
            member = self.member
            emit("state", privacy_code=member.privacy_code() if member else None,
                 epoch=member.epoch() if member else None, recognized=sorted(self.recognized))
        elif name == "encrypt":
            frames = []
            for frame in command["frames"]:
                try:
                    frames.append(self.member.encrypt(bytes.fromhex(frame)).hex())
                except Exception:
                    frames.append(None)
            emit("encrypted", frames=frames)
        elif name == "decrypt":
            frames = []
            for frame in command["frames"]:
                try:
                    frames.append(self.member.decrypt(command["user_id"], bytes.fromhex(frame)).hex())
                except Exception:
                    frames.append(None)
            emit("decrypted", frames=frames)
        elif name == "quit":
            await self.ws.close()

    async def run(self):
        commands = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def read_stdin():
            for line in sys.stdin:
                if line.strip():
                    loop.call_soon_threadsafe(commands.put_nowait, json.loads(line))
            loop.call_soon_threadsafe(commands.put_nowait, {"cmd": "quit"})

        threading.Thread(target=read_stdin, daemon=True).start()
        async with aiohttp.ClientSession() as http:
            self.ws = await http.ws_connect(f"ws://127.0.0.1:{self.args.port}/?v=8", max_msg_size=0)

            async def obey():
                while True:
                    await self.on_command(await commands.get())

            obeying = loop.create_task(obey())
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await self.on_json(json.loads(message.data))
                elif message.type == aiohttp.WSMsgType.BINARY:
                    await self.on_binary(message.data)
                else:
                    break
            obeying.cancel()
            emit("closed", code=self.ws.close_code)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user-id", required=True)
    parser.add_argument("--channel-id", type=int, required=True)
    parser.add_argument("--guild-id", default="41771983423143937")
    parser.add_argument("--impl", choices=["davey", "libdave"], default="davey")
    parser.add_argument("--hold-commits", action="store_true")
    parser.add_argument("--max-dave", type=int, default=1)
    parser.add_argument("--never-ready", action="store_true")
    asyncio.run(Peer(parser.parse_args()).run())


if __name__ == "__main__":
    main()
