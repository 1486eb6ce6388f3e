import AudioEngine
import Foundation
import Resolver

extension NodePlayer {
    /// Plays `newTrack` from `startMs`: TrackEnd `replaced` for the current one, TrackStart,
    /// then a `playerUpdate`. A source that cannot be opened gives TrackException and TrackEnd `loadFailed`.
    func play(_ newTrack: NodeTrack, startMs: Int64, paused startPaused: Bool) async {
        if let current = track {
            markEnded(currentPlay)
            await emitEvent("TrackEndEvent", ["track": current.json(), "reason": "replaced"])
        }
        var playing = newTrack
        playing.info.position = startMs
        track = playing
        paused = startPaused
        nextPlayID += 1
        let id = nextPlayID
        currentPlay = id
        await emitEvent("TrackStartEvent", ["track": playing.json(position: startMs)])
        let source: TrackSource
        do {
            source = try await self.source(for: playing.info)
        } catch {
            guard currentPlay == id else { return }
            track = nil
            currentPlay = nil
            await emitEvent("TrackExceptionEvent", ["track": playing.json(), "exception": Self.exception("\(error)", "common")])
            await emitEvent("TrackEndEvent", ["track": playing.json(), "reason": "loadFailed"])
            return
        }
        // A newer play may have started while this one resolved.
        guard currentPlay == id, !destroyed else { return }
        plays.append(Play(id: id, location: source.location, track: playing))
        engine.play(source, startMs: startMs)
        if startPaused { engine.pause() }
        watchEndTime()
        await emit(playerUpdate())
    }

    /// `encoded: null` or a DELETE: TrackEnd `stopped` at once, then the engine's short silence.
    func stopTrack() async {
        guard let current = track else { return }
        markEnded(currentPlay)
        track = nil
        currentPlay = nil
        endTime = nil
        engine.stop()
        await emitEvent("TrackEndEvent", ["track": current.json(), "reason": "stopped"])
    }

    func markEnded(_ id: Int?) {
        guard let id, let index = plays.firstIndex(where: { $0.id == id }) else { return }
        plays[index].ended = true
    }

    /// What the engine opens for a track: its URL for `http`/`local`, a fresh yt-dlp
    /// resolution (refreshed on expiry) for pages; policy applies to every hop.
    func source(for info: TrackInfo) async throws -> TrackSource {
        let policy = context.policy
        guard let uri = info.uri ?? (info.identifier.contains("://") ? info.identifier : nil) else {
            throw NodeHTTPError.internalError("Track has no location")
        }
        switch info.sourceName {
        case "http":
            try policy.check(url: uri)
            return TrackSource(location: uri, allowsLocation: { (try? policy.check(url: $0)) != nil })
        case "local":
            guard context.configuration.sourceEnabled("local") else { throw NodeHTTPError.badRequest("Local files are disabled") }
            return TrackSource(location: uri.hasPrefix("file://") ? String(uri.dropFirst(7)) : uri)
        default:
            // An unknown source (another node's plugin, or a page) is re-resolved from its URI.
            let resolver = context.resolver
            let resolved = try await resolver.resolve(uri)
            return TrackSource(
                location: resolved.streamURL, httpHeaders: resolved.httpHeaders, isLive: resolved.isLive,
                refresh: {
                    let fresh = try await resolver.resolve(uri, fresh: true)
                    return TrackSource(location: fresh.streamURL, httpHeaders: fresh.httpHeaders, isLive: fresh.isLive)
                }, allowsLocation: { (try? policy.check(url: $0)) != nil })
        }
    }

    /// One engine event, matched to the play it concerns (oldest first: a replaced track's end
    /// comes before anything of its successor).
    func handle(_ event: PlayerEvent) async {
        let location: String
        switch event {
        case let .started(source), let .finished(source, _), let .failed(source, _), let .stuck(source): location = source
        }
        guard let index = plays.firstIndex(where: { $0.location == location }) else { return }
        let play = plays[index]
        switch event {
        case .started:
            plays[index].started = true
        case .stuck:
            guard !play.stuckReported, !play.ended, !paused else { return }
            plays[index].stuckReported = true
            await emitEvent(
                "TrackStuckEvent", ["track": play.track.json(), "thresholdMs": .int(Int64(context.configuration.trackStuckThresholdMs))])
            await emit(playerUpdate())
        case let .finished(_, reason):
            plays.remove(at: index)
            let wasCurrent = finishIfCurrent(play.id)
            guard !play.ended else { return }
            let name =
                switch reason {
                case .endOfTrack: "finished"
                case .stopped: "stopped"
                case .replaced: "replaced"
                }
            _ = wasCurrent
            await emitEvent("TrackEndEvent", ["track": play.track.json(), "reason": .string(name)])
        case let .failed(_, error):
            plays.remove(at: index)
            _ = finishIfCurrent(play.id)
            guard !play.ended else { return }
            let severity = Self.severity(error)
            await emitEvent("TrackExceptionEvent", ["track": play.track.json(), "exception": Self.exception(error.description, severity)])
            await emitEvent("TrackEndEvent", ["track": play.track.json(), "reason": play.started ? "finished" : "loadFailed"])
        }
    }

    private func finishIfCurrent(_ id: Int) -> Bool {
        guard currentPlay == id else { return false }
        currentPlay = nil
        track = nil
        endTime = nil
        return true
    }

    /// Ends the track at `endTime` as Lavalink does: TrackEnd `finished`.
    func watchEndTime() {
        endWatcher?.cancel()
        guard endTime != nil else { return }
        endWatcher = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
                guard let self, await self.checkEndTime() else { return }
            }
        }
    }

    /// False once there is nothing left to watch.
    private func checkEndTime() async -> Bool {
        guard let end = endTime, let current = track else { return false }
        guard positionMs >= end else { return true }
        markEnded(currentPlay)
        track = nil
        currentPlay = nil
        endTime = nil
        engine.stop()
        await emitEvent("TrackEndEvent", ["track": current.json(), "reason": "finished"])
        return false
    }

    func emitEvent(_ type: String, _ fields: [String: JSONValue]) async {
        var members = fields
        members["op"] = "event"
        members["type"] = .string(type)
        members["guildId"] = .string(guildId)
        await emit(.object(members))
    }

    static func exception(_ message: String, _ severity: String) -> JSONValue {
        [
            "message": .string(message), "severity": .string(severity), "cause": .string(message),
            "causeStackTrace": .string("\(message)\n\tat cadence.AudioEngine")
        ]
    }

    static func severity(_ error: EngineError) -> String {
        switch error {
        case .streamNotFound, .unsupportedFormat, .noAudioStream, .refusedLocation: "common"
        case .networkError, .truncated, .stalled: "suspicious"
        case .decoderFailed, .encoderFailed: "fault"
        }
    }
}
