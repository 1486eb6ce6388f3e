import Foundation
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
        guard let stream = o.stream else {
            Issue.record("the voice server heard nothing\n\(o.diagnostics)")
            return
        }
        // DAVE required: every frame end-to-end encrypted, and the server's member opened them all.
        #expect(stream.e2eeFrames > 0 && stream.plainFrames == 0 && stream.e2eeOpened == stream.e2eeFrames,
                "e2ee \(stream.e2eeFrames), plain \(stream.plainFrames), opened \(stream.e2eeOpened)")
    }

    static func pitchAndLength(_ o: ClientRig.Outcome) {
        let play = o.mark("play"), volume = o.mark("volume50")
        let first = o.heard.tone(from: play, to: volume).first
        #expect(first?.step == 0, "playback must start at the track's first second, heard step \(String(describing: first?.step))")
        let tone = o.heard.tone(from: play + 300, to: volume)
        let errors = tone.map { abs($0.frequency! - StaircaseTone.frequency(ofStep: $0.step!)) / StaircaseTone.frequency(ofStep: $0.step!) }.sorted()
        let heardShare = Double(tone.count) / max(1, Double(o.heard.frames(from: play + 300, to: volume).count))
        #expect(heardShare >= 0.9, "only \(Int(heardShare * 100)) % of frames carry the tone's pitch")
        #expect((errors.isEmpty ? 1 : errors[errors.count / 2]) < 0.005, "pitch off by a median \(errors.isEmpty ? 1 : errors[errors.count / 2] * 100) %")
        let speed = o.heard.speed(from: play + 300, to: o.mark("timescale"))
        #expect(abs((speed ?? 0) - 1) <= 0.03, "plays at \(String(describing: speed))× before any filter")

        // The track's end, played from 3 s before it: the last three seconds, whole, once.
        let end = o.heard.tone(from: o.mark("playNearEnd"), to: o.mark("done") + 500)
        #expect(end.first?.step == ClientRig.trackSeconds - 3 && end.last?.step == ClientRig.trackSeconds - 1,
                "near the end heard steps \(String(describing: end.first?.step))…\(String(describing: end.last?.step))")
        #expect(abs(end.count - 150) <= 5, "the last 3 s took \(end.count) frames")
    }

    static func volume(_ o: ClientRig.Outcome) {
        let before = o.heard.levelDB(from: o.mark("play") + 1000, to: o.mark("volume50"))
        let half = o.heard.levelDB(from: o.mark("volume50") + 300, to: o.mark("volume100"))
        let back = o.heard.levelDB(from: o.mark("volume100") + 300, to: o.mark("timescale"))
        guard let before, let half, let back else {
            Issue.record("no tone heard around the volume changes")
            return
        }
        #expect(abs((half - before) + 6.02) <= 0.5, "volume 50 heard as \(half - before) dB")
        #expect(abs(back - before) <= 0.5, "volume 100 again heard \(back - before) dB off")
        // Heard within 100 ms of the PATCH: the frames from then on are already at the new level.
        let soon = o.heard.levelDB(from: o.mark("volume50") + 100, to: o.mark("volume50") + 300) ?? 0
        #expect(abs((soon - before) + 6.02) <= 1, "100–300 ms after volume 50: \(soon - before) dB")
    }

    static func timescale(_ o: ClientRig.Outcome) {
        let start = o.mark("timescale"), end = o.mark("filtersCleared")
        let speed = o.heard.speed(from: start + 300, to: end)
        #expect(abs((speed ?? 0) - 1.25) <= 0.04, "timescale speed 1.25 heard at \(String(describing: speed))×")
        // Lavalink's `speed` is tempo: the pitch of each second stays where it was.
        let tone = o.heard.tone(from: start + 300, to: end).count
        let all = o.heard.frames(from: start + 300, to: end).count
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
        #expect(after.step == before.step + 1, "steps \(before.step) then \(after.step) around the pause")
        let frames = o.heard.tone(from: before.arrivalMs, to: after.arrivalMs).count
        #expect(abs(frames - 50) <= 2, "the second across the pause lasted \(frames) frames")
        #expect(after.arrivalMs - before.arrivalMs >= 1800, "the pause lasted only \(Int(after.arrivalMs - before.arrivalMs - 1000)) ms")
    }

    static func endReasons(_ o: ClientRig.Outcome) {
        let ends = o.events("TrackEndEvent")
        let stopped = ends.first { $0["reason"] as? String == "stopped" }
        let finished = ends.first { $0["reason"] as? String == "finished" }
        #expect(stopped.map { $0.time >= o.mark("stop") } == true, "TrackEnd stopped: \(ends.map(\.fields))")
        #expect(finished.map { $0.time >= o.mark("playNearEnd") } == true, "TrackEnd finished: \(ends.map(\.fields))")
        #expect(ends.count == 2, "end events: \(ends.map { $0["reason"] ?? "?" })")
        #expect(o.heard.tone(from: o.mark("stop") + 300, to: o.mark("playNearEnd")).isEmpty, "audio went on after stop")
        if let finished, let last = o.heard.tone(from: o.mark("playNearEnd"), to: finished.time + 1000).last {
            #expect(finished.time - last.arrivalMs < 1000, "TrackEnd finished came \(Int(finished.time - last.arrivalMs)) ms after the last frame")
        }
    }

    /// Every `playerUpdate` during steady playback names the position the server was hearing
    /// at its `time`, within 100 ms.
    static func playerUpdatePositions(_ o: ClientRig.Outcome) {
        let windows = [(o.mark("play") + 1200, o.mark("timescale")), (o.mark("seek") + 1200, o.mark("pause")),
                       (o.mark("unpause") + 1200, o.mark("stop"))]
        var compared = 0
        for update in o.ops("playerUpdate") {
            guard let state = update.op?["state"] as? [String: Any], let time = (state["time"] as? NSNumber)?.doubleValue,
                  let position = (state["position"] as? NSNumber)?.doubleValue,
                  windows.contains(where: { time >= $0.0 && time < $0.1 }),
                  let heard = o.heard.trackPosition(at: time)
            else { continue }
            compared += 1
            #expect(abs(position - heard) <= 100, "playerUpdate at \(Int(time)) says \(Int(position)) ms, the server heard \(Int(heard)) ms")
        }
        #expect(compared >= 5, "only \(compared) playerUpdates fell in steady playback")
    }

    static func resume(_ o: ClientRig.Outcome) {
        let cut = o.mark("cut"), restored = o.mark("restored"), resumed = o.mark("resumed")
        let ready = o.lines("ready")
        #expect(ready.count == 2, "ready ops: \(ready.map(\.fields))")
        if ready.count == 2 {
            #expect(ready[1]["resumed"] as? Bool == true, "the reconnect was not resumed")
            #expect(ready[1]["sessionId"] as? String == ready[0]["sessionId"] as? String, "a new session id on resume")
        }
        // Queued while the client was away, replayed after it came back, oldest first.
        let replayed = o.ops("playerUpdate").filter { line in
            let time = ((line.op?["state"] as? [String: Any])?["time"] as? NSNumber)?.doubleValue ?? 0
            return line.time >= restored && time >= cut && time < restored
        }
        #expect(replayed.count >= 2, "\(replayed.count) playerUpdates from the outage were replayed")
        let times = replayed.compactMap { (($0.op?["state"] as? [String: Any])?["time"] as? NSNumber)?.doubleValue }
        #expect(times == times.sorted(), "replayed out of order: \(times)")
        // The audio never stopped: frames kept coming at 50 a second and the track went on.
        let gap = o.heard.longestGap(from: cut - 1000, to: resumed + 1000)
        #expect(gap <= 60, "a \(Int(gap)) ms hole in the audio around the outage")
        let speed = o.heard.speed(from: cut - 1000, to: resumed + 1000)
        #expect(abs((speed ?? 0) - 1) <= 0.03, "across the outage the track moved at \(String(describing: speed))×")
        let restarts = o.events("TrackStartEvent").filter { $0.time > cut && $0.time < o.mark("stop") }
        #expect(restarts.isEmpty, "the track was started again around the resume")
    }
}
