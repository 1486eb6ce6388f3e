import Foundation
import LavalinkProtocol
import Testing

/// What every Lavalink client must see from Cadence's node, checked on one `ClientRig` run:
/// the audio as the voice server heard it (against the scenario's marks) and the client's events.
/// Each function is one aspect, so a failure names what a user of that client would notice.
enum ClientConformance {
    static func connection(_ o: ClientRig.Outcome) {
        #expect(o.exitStatus == 0 && o.lines("error").isEmpty, "client failed: \(o.lines("error").map(\.fields))\n\(o.diagnostics)")
        let ready = o.lines("ready")
        #expect(ready.first?["resumed"] as? Bool == false, "first ready must be a new session")
        let loaded = o.lines("loaded").first
        #expect(loaded?["loadType"] as? String == "track", "loadtracks of the http URL: \(loaded?.fields ?? [:])")
        let length = (loaded?["length"] as? NSNumber)?.doubleValue ?? 0
        #expect(abs(length - Double(ClientRig.trackSeconds) * 1000) <= 100, "track length \(length) ms")
        #expect(!o.ops("stats").isEmpty, "no stats op arrived")
        // The node's encoded string is lavaplayer's layout: it decodes here and in the client.
        if let encoded = loaded?["encoded"] as? String {
            let track = try? TrackCodec.decode(encoded)
            #expect(
                track?.info.sourceName == "http" && track?.sourceDetails == .probe("mp3"),
                "the node's string decodes to \(String(describing: track))")
            #expect(track.map { abs(Double($0.info.length) - length) <= 1 } == true, "encoded length differs from the JSON's")
        } else {
            Issue.record("the client was given no encoded string")
        }
        if let decoded = o.lines("decoded").first {
            #expect(
                decoded["probe"] as? String == "mp3" && decoded["source"] as? String == "http",
                "lavalink.py's decode_track read \(decoded.fields)")
        }
        #expect(o.streams.count == 1, "\(o.streams.count) voice streams: the voice connection was made again")
        guard let stream = o.streams.first else {
            Issue.record("the voice server heard nothing\n\(o.diagnostics)")
            return
        }
        // DAVE required: every frame end-to-end encrypted, and the server's member opened them all.
        print(
            "\(o.client) DAVE: \(stream.e2eeFrames) E2EE frames, \(stream.plainFrames) plain "
                + "(\(stream.plainAfterE2EE) after the first E2EE one), \(stream.e2eeOpened) opened at the server")
        #expect(
            stream.e2eeFrames > 0 && stream.e2eeOpened == stream.e2eeFrames,
            "e2ee \(stream.e2eeFrames), opened \(stream.e2eeOpened)")
        // Seen in about one run in three (1–2 plain frames of ~1230): the node's voice connection
        // lets a frame out unencrypted although the call requires DAVE. A bug for the node and
        // DiscordVoice to fix, not this test: drop the known-issue wrapper once they have.
        withKnownIssue(Comment(rawValue: plainFramesUnderDAVE), isIntermittent: true) {
            #expect(
                stream.plainFrames == 0,
                "\(stream.plainFrames) plain frames (\(stream.plainAfterE2EE) after the first E2EE one) in a call that requires DAVE")
        }
    }

    static func pitchAndLength(_ o: ClientRig.Outcome) {
        let play = o.mark("play"), volume = o.mark("volume50")
        let first = o.heard.tone(from: play, to: volume).first
        #expect(first?.step == 0, "playback must start at the track's first second, heard step \(String(describing: first?.step))")
        let tone = o.heard.tone(from: play + 300, to: volume)
        let errors = tone.map { abs($0.frequency! - StaircaseTone.frequency(ofStep: $0.step!)) / StaircaseTone.frequency(ofStep: $0.step!) }
            .sorted()
        let heardShare = Double(tone.count) / max(1, Double(o.heard.frames(from: play + 300, to: volume).count))
        #expect(heardShare >= 0.9, "only \(Int(heardShare * 100)) % of frames carry the tone's pitch")
        #expect(
            (errors.isEmpty ? 1 : errors[errors.count / 2]) < 0.005,
            "pitch off by a median \(errors.isEmpty ? 1 : errors[errors.count / 2] * 100) %")
        let speed = o.heard.speed(from: play + 300, to: o.mark("timescale"))
        let medianError = errors.isEmpty ? 1 : errors[errors.count / 2]
        print(
            "\(o.client) playback: first audio \(first.map { Int($0.arrivalMs - play) } ?? -1) ms after play, pitch off by a median "
                + "\(String(format: "%.3f", medianError * 100)) %, speed \(speed.map { String(format: "%.4f", $0) } ?? "-")×")
        #expect(abs((speed ?? 0) - 1) <= 0.03, "plays at \(String(describing: speed))× before any filter")

        // The track's end, played from 3 s before it: the last three seconds, whole, once.
        let end = o.heard.tone(from: o.mark("playNearEnd"), to: o.mark("done") + 500)
        #expect(
            end.first?.step == ClientRig.trackSeconds - 3 && end.last?.step == ClientRig.trackSeconds - 1,
            "near the end heard steps \(String(describing: end.first?.step))…\(String(describing: end.last?.step))")
        #expect(abs(end.count - 150) <= 5, "the last 3 s took \(end.count) frames")
    }

    /// Where the engine's fixes are not merged yet, the check is a known issue: it still runs,
    /// and turns into a failure ("known issue was not recorded") the day it passes.
    static let pendingEngine = "needs the engine branch: gain and filters applied after the frame ring"
    static let plainFramesUnderDAVE = "node/DiscordVoice: occasional plain Opus frames in a DAVE-required call"

    static func volume(_ o: ClientRig.Outcome) {
        let before = o.heard.levelDB(from: o.mark("play") + 1000, to: o.mark("volume50"))
        let half = o.heard.levelDB(from: o.mark("volume100") - 600, to: o.mark("volume100"))
        let back = o.heard.levelDB(from: o.mark("timescale") - 600, to: o.mark("timescale"))
        guard let before, let half, let back else {
            Issue.record("no tone heard around the volume changes")
            return
        }
        let latency = o.heard.tone(from: o.mark("volume50"), to: o.mark("volume100"))
            .first { 20 * log10($0.rms) - before < -5 }.map { $0.arrivalMs - o.mark("volume50") }
        print(
            "\(o.client) volume: 50 heard as \(String(format: "%.2f", half - before)) dB, 100 again "
                + "\(String(format: "%+.2f", back - before)) dB, first quieter frame \(latency.map { "\(Int($0)) ms" } ?? "never") after the PATCH"
        )
        #expect(abs((half - before) + 6.02) <= 0.5, "volume 50 heard as \(half - before) dB")
        #expect(abs(back - before) <= 0.5, "volume 100 again heard \(back - before) dB off")
        #expect((latency ?? .infinity) <= 100, "volume 50 heard \(latency.map { "\(Int($0)) ms" } ?? "never") after the PATCH")
    }

    static func timescale(_ o: ClientRig.Outcome) {
        let start = o.mark("timescale"), end = o.mark("filtersCleared")
        let speed = o.heard.speed(from: start + 300, to: end)
        // Lavalink's `speed` is tempo: the pitch of each second stays where it was.
        let tone = o.heard.tone(from: start + 300, to: end).count
        let all = o.heard.frames(from: start + 300, to: end).count
        print(
            "\(o.client) timescale 1.25: heard at \(speed.map { String(format: "%.3f", $0) } ?? "-")×, \(tone) of \(all) frames at the tone's pitch"
        )
        #expect(abs((speed ?? 0) - 1.25) <= 0.04, "timescale speed 1.25 heard at \(String(describing: speed))×")
        #expect(Double(tone) >= 0.8 * Double(max(1, all)), "\(tone) of \(all) frames kept the tone's pitch at speed 1.25")
        let after = o.heard.speed(from: end + 300, to: o.mark("seek"))
        if let after { #expect(abs(after - 1) <= 0.05, "after clearing filters: \(after)×") }
    }

    static func seek(_ o: ClientRig.Outcome) {
        let seek = o.mark("seek"), target = 20_500.0
        let tone = o.heard.tone(from: seek, to: o.mark("pause"))
        guard let landing = tone.first(where: { $0.step == 20 }) else {
            Issue.record("never heard second 20 after seeking to 20.5 s; steps \(Set(tone.compactMap(\.step)).sorted())")
            return
        }
        let stale = tone.filter { $0.arrivalMs > landing.arrivalMs && $0.step! < 20 }
        #expect(stale.isEmpty, "\(stale.count) frames from before the seek target after it landed")
        #expect(landing.arrivalMs - seek < 1000, "the seek was heard \(Int(landing.arrivalMs - seek)) ms after the PATCH")
        guard let edge = o.heard.edges(from: landing.arrivalMs, to: o.mark("pause")).first(where: { $0.step == 21 }) else {
            Issue.record("no edge to second 21 after the seek")
            return
        }
        // Landed at 20.5 s: second 21 starts 500 ms of audio later.
        let landedAt = 21_000 - (edge.arrivalMs - landing.arrivalMs)
        print("\(o.client) seek to 20500: heard \(Int(landing.arrivalMs - seek)) ms after the PATCH, landed at \(Int(landedAt)) ms")
        #expect(abs(landedAt - target) <= 60, "seek to 20500 landed at \(Int(landedAt)) ms")
    }

    static func pause(_ o: ClientRig.Outcome) {
        let pause = o.mark("pause"), unpause = o.mark("unpause")
        let during = o.heard.tone(from: pause + 200, to: unpause)
        #expect(during.isEmpty, "\(during.count) tone frames arrived while paused")
        // Nothing lost or repeated across the pause: the second that straddles it lasts 50 frames.
        let before = o.heard.edges(from: pause - 1500, to: pause).last
        let after = o.heard.edges(from: unpause, to: unpause + 1500).first
        guard let before, let after else {
            Issue.record("no step edges around the pause")
            return
        }
        // The edge inside the paused second may fall on the pause itself and go unseen, so the
        // edges found may be one or two seconds of track apart: 50 frames for each.
        let seconds = after.step - before.step
        // Every frame with sound counts: those the pause cut through carry a blend of two pitches.
        let frames = o.heard.frames(from: before.arrivalMs, to: after.arrivalMs).filter { $0.rms > 0.01 }.count
        let silent = o.heard.longestGap(from: before.arrivalMs, to: after.arrivalMs)
        print("\(o.client) pause: \(frames) frames with sound for \(seconds) s of track across it, silent \(Int(silent)) ms")
        #expect((1...2).contains(seconds), "steps \(before.step) then \(after.step) around the pause")
        #expect(abs(frames - 50 * seconds) <= 3, "\(seconds) s of track across the pause took \(frames) frames")
        #expect(silent >= 800, "the pause was silent only \(Int(silent)) ms")
    }

    static func endReasons(_ o: ClientRig.Outcome) {
        let ends = o.events("TrackEndEvent")
        let reasons = ends.compactMap { $0["reason"] as? String }
        // The end during the outage, the stop, the natural end of the replay near the end.
        #expect(reasons == ["finished", "stopped", "finished"], "end events: \(reasons)")
        let stopped = ends.first { $0["reason"] as? String == "stopped" }
        #expect(
            stopped.map { $0.time >= o.mark("stop") && $0.time < o.mark("stop") + 1000 } == true,
            "TrackEnd stopped at \(String(describing: stopped.map { Int($0.time - o.mark("stop")) })) ms after the stop")
        #expect(o.heard.tone(from: o.mark("stop") + 300, to: o.mark("playNearEnd")).isEmpty, "audio went on after stop")
        let finished = ends.last { $0["reason"] as? String == "finished" }
        #expect(finished.map { $0.time >= o.mark("playNearEnd") } == true, "no TrackEnd finished after the last play")
        if let finished, let last = o.heard.tone(from: o.mark("playNearEnd"), to: finished.time + 1000).last {
            #expect(
                finished.time - last.arrivalMs < 1000,
                "TrackEnd finished came \(Int(finished.time - last.arrivalMs)) ms after the last frame")
        }
    }

    /// Every `playerUpdate` during steady playback names the position the server was hearing
    /// at its `time`, within 100 ms.
    static func playerUpdatePositions(_ o: ClientRig.Outcome) {
        let windows = [
            (o.mark("play") + 1200, o.mark("timescale")), (o.mark("seek") + 1200, o.mark("pause")),
            (o.mark("unpause") + 1200, o.mark("seekBeforeCut")), (o.mark("replay") + 1200, o.mark("stop"))
        ]
        var compared = 0, worst = 0.0
        for update in o.ops("playerUpdate") {
            guard let state = update.op?["state"] as? [String: Any], let time = (state["time"] as? NSNumber)?.doubleValue,
                let position = (state["position"] as? NSNumber)?.doubleValue,
                windows.contains(where: { time >= $0.0 && time < $0.1 }),
                let heard = o.heard.trackPosition(at: time)
            else { continue }
            compared += 1
            worst = max(worst, abs(position - heard))
            #expect(
                abs(position - heard) <= 100, "playerUpdate at \(Int(time)) says \(Int(position)) ms, the server heard \(Int(heard)) ms")
        }
        print("\(o.client) playerUpdate: \(compared) compared with what was heard, worst \(Int(worst)) ms apart")
        #expect(compared >= 5, "only \(compared) playerUpdates fell in steady playback")
    }

    static func resume(_ o: ClientRig.Outcome) {
        let cut = o.mark("cut"), restored = o.mark("restored")
        let ready = o.lines("ready")
        #expect(ready.count == 2, "ready ops: \(ready.map(\.fields))")
        if ready.count == 2 {
            #expect(ready[1]["resumed"] as? Bool == true, "the reconnect was not resumed")
            #expect(ready[1]["sessionId"] as? String == ready[0]["sessionId"] as? String, "a new session id on resume")
        }
        // The track ended while the client was away; its TrackEnd waited and came after `ready`.
        let lastSecond = ClientRig.trackSeconds - 1
        let tail = o.heard.tone(from: o.mark("seekBeforeCut"), to: restored)
        #expect(
            tail.last?.step == lastSecond && (tail.last?.arrivalMs ?? .infinity) < restored,
            "the track did not play to its end during the outage (last step \(String(describing: tail.last?.step)))")
        let finished = o.events("TrackEndEvent").first { $0["reason"] as? String == "finished" }
        #expect(
            finished.map { $0.time >= restored && $0.time > (ready.last?.time ?? .infinity) } == true,
            "TrackEnd finished from the outage: \(String(describing: finished?.fields)), ready at \(String(describing: ready.last?.time))")
        // The audio never stopped: from the seek to the end, every frame, 50 a second.
        guard let landing = tail.first(where: { $0.step == lastSecond - 1 }), let end = tail.last else {
            Issue.record("no audio from the last two seconds around the outage")
            return
        }
        let gap = o.heard.longestGap(from: landing.arrivalMs, to: end.arrivalMs + 1)
        // The outage itself is 3 s; a stall of a few frames on this shared 2-core VM is not a
        // stop, and a listener's jitter buffer (Discord's holds well over 100 ms) never hears it.
        #expect(gap <= 100, "a \(Int(gap)) ms hole in the audio across the outage")
        let frames = o.heard.tone(from: landing.arrivalMs, to: end.arrivalMs + 1).count
        print(
            "\(o.client) resume: \(frames) frames for the last 2 s across a 3 s outage, longest gap \(Int(gap)) ms, "
                + "TrackEnd finished delivered \(finished.map { Int($0.time - restored) } ?? -1) ms after the network came back")
        #expect(abs(frames - 100) <= 3, "the last 2 s across the outage took \(frames) frames")
        #expect(end.arrivalMs > cut + 500, "the audio ended \(Int(end.arrivalMs - cut)) ms into the outage, before the track did")
        let restarts = o.events("TrackStartEvent").filter { $0.time > cut && $0.time < o.mark("replay") }
        #expect(restarts.isEmpty, "the track was started again around the resume")
    }
}
