"""lavalink.py's own track codec, driven by LavalinkProtocolTests.

Reads one JSON object on stdin: {"decode": [base64, ...], "encode": [track dict, ...]} and prints
{"decoded": [fields or {"error": text}, ...], "encoded": [[version, base64] or {"error": text}, ...]}.
An encode dict without "artworkUrl"/"isrc" is written as v2 (lavalink.py's own rule); one with a
"probe" key gets the http/local probe trailer through lavalink.py's source_encoders hook.
"""
import json
import sys

import lavalink
from lavalink.common import MISSING
from lavalink.dataio import DataWriter


def write_probe(writer: DataWriter, track):
    writer.write_utf(track['probe'])


def decode(encoded):
    try:
        track = lavalink.decode_track(encoded)
    except Exception as error:  # the test asserts on which strings fail, so report rather than crash
        return {'error': f'{type(error).__name__}: {error}'}
    return {
        'title': track.title, 'author': track.author, 'length': track.duration,
        'identifier': track.identifier, 'isStream': track.is_stream, 'uri': track.uri,
        'artworkUrl': track.artwork_url, 'isrc': track.isrc, 'sourceName': track.source_name,
        'position': track.extra['position'], 'version': track.extra['encoder_version'],
        'probe': track.extra['source_specific'].get('probe_info'),
    }


def encode(track):
    encoders = {track['sourceName']: write_probe} if 'probe' in track else MISSING
    try:
        version, encoded = lavalink.encode_track(track, encoders)
    except Exception as error:
        return {'error': f'{type(error).__name__}: {error}'}
    return [version, encoded]


request = json.load(sys.stdin)
json.dump({'decoded': [decode(s) for s in request.get('decode', [])],
           'encoded': [encode(t) for t in request.get('encode', [])]}, sys.stdout)
