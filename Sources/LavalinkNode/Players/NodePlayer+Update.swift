import Foundation

extension NodePlayer {
    /// Applies a validated PATCH in Lavalink's order (`PlayerRestHandler.patchPlayer`):
    /// voice; then, without a new track, paused/userData/position/endTime on the current one;
    /// volume and filters; then the new track (unless `noReplace` and one is playing).
    package func apply(_ update: PlayerUpdate, noReplace: Bool, resolveIdentifier: (String) async throws(NodeHTTPError) -> NodeTrack)
        async throws(NodeHTTPError) -> JSONValue
    {
        // Decode and range-check before anything changes, so a bad request leaves the player as it was.
        var newTrack: NodeTrack?
        if let encoded = update.encoded.value {
            do {
                newTrack = NodeTrack(encoded: encoded, info: try TrackCodec.decode(encoded))
            } catch {
                throw .internalError("Failed to decode track: \(error.reason)")
            }
        } else if let identifier = update.identifier {
            newTrack = try await resolveIdentifier(identifier)
        }
        if let position = update.position {
            let info = newTrack?.info ?? (update.hasNewTrack ? nil : track?.info)
            if let info, !info.isStream, info.length != TrackInfo.unknownLength, position > info.length {
                throw .badRequest("Position \(position) is past the end of the track (\(info.length) ms)")
            }
        }

        if let voice = update.voice { try await updateVoice(voice) }

        if !update.hasNewTrack, track != nil {
            if let paused = update.paused, paused != self.paused {
                self.paused = paused
                if paused { engine.pause() } else { engine.resume() }
            }
            if let userData = update.userData { track?.userData = userData }
            if let position = update.position {
                engine.seek(toMs: position)
                await emit(playerUpdate())
            }
            switch update.endTime {
            case let .value(end):
                endTime = end
                watchEndTime()
            case .null: endTime = nil
            case .omitted: break
            }
        } else if !update.hasNewTrack, let paused = update.paused {
            self.paused = paused
        }

        if let volume = update.volume {
            self.volume = volume
            engine.volume = EngineMapping.engineVolume(volume)
        }
        switch update.filters {
        case let .value(object):
            filters = object
            EngineMapping.apply(filters: object, to: engine)
            await emit(playerUpdate())
        case .null:
            filters = .object([:])
            EngineMapping.apply(filters: filters, to: engine)
            await emit(playerUpdate())
        case .omitted: break
        }

        if update.hasNewTrack {
            if noReplace, track != nil { return json() }
            if case .null = update.encoded, update.identifier == nil {
                paused = update.paused ?? false
                await stopTrack()
            } else if var next = newTrack {
                if let userData = update.userData { next.userData = userData }
                endTime = update.endTime.value
                await play(next, startMs: update.position ?? 0, paused: update.paused ?? false)
            }
        }
        return json()
    }
}
