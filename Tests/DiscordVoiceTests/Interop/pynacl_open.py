"""Opens rtpsize AEAD packets with PyNaCl (libsodium) -- an implementation Cadence did not write.

stdin: {"mode": ..., "key": hex, "packets": [hex, ...]}
stdout: {"payloads": [hex or null, ...]}
"""
import json
import sys

from nacl import bindings

request = json.load(sys.stdin)
key = bytes.fromhex(request['key'])
payloads = []
for text in request['packets']:
    packet = bytes.fromhex(text)
    header, sealed, counter = packet[:12], packet[12:-4], packet[-4:]
    try:
        if request['mode'] == 'aead_aes256_gcm_rtpsize':
            plain = bindings.crypto_aead_aes256gcm_decrypt(sealed, header, counter + bytes(8), key)
        else:
            plain = bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, header, counter + bytes(20), key)
        payloads.append(plain.hex())
    except Exception:
        payloads.append(None)
print(json.dumps({'payloads': payloads}))
