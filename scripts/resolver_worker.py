#!/usr/bin/env python3
"""Cadence's long-lived resolver: yt-dlp used as a library over a JSON-lines pipe.

One request per line on stdin: {"id": 1, "args": [...yt-dlp arguments...]}.
One answer per line on stdout: {"id": 1, "ok": true, "info": {...}} or {"id": 1, "ok": false, "error": "..."}.
Keeping the interpreter and yt-dlp's extractors loaded saves the cold start of every call.
The arguments are yt-dlp's own command line (built by the Swift side, user input after "--").
"""
import json
import sys

import yt_dlp


def resolve(args):
    parser, opts, urls, ydl_opts = yt_dlp.parse_options(args)
    ydl_opts.update({"quiet": True, "no_warnings": True, "noprogress": True, "simulate": True})
    with yt_dlp.YoutubeDL(ydl_opts) as ydl:
        results = [ydl.sanitize_info(ydl.extract_info(url, download=False)) for url in urls]
    return results[0] if len(results) == 1 else {"entries": results}


def main():
    out = sys.stdout
    sys.stdout = sys.stderr  # yt-dlp must never write into the protocol stream
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            answer = {"id": request_id, "ok": True, "info": resolve(request["args"])}
        except BaseException as error:  # noqa: BLE001 - every failure becomes an answer
            if isinstance(error, KeyboardInterrupt):
                raise
            answer = {"id": request_id, "ok": False, "error": str(error).strip() or type(error).__name__}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
