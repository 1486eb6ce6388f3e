import Foundation

extension NodePlayer {
    /// What a node restart needs to go on: voice, track and position, controls.
    package func snapshot() -> JSONValue {
        [
            "guildId": .string(guildId), "encoded": track.map { .string($0.encoded) } ?? .null,
            "userData": track?.userData ?? .object([:]), "position": .int(positionMs), "paused": .bool(paused),
            "volume": .int(Int64(volume)), "filters": filters, "voice": voice.json, "endTime": endTime.map { .int($0) } ?? .null
        ]
    }

    /// Rebuilds a player after a restart: voice first (its old session and token), then the
    /// track from where it stood.
    package func restore(from snapshot: JSONValue) async {
        guard let reader = try? FieldReader(snapshot, context: "snapshot") else { return }
        volume = Int((try? reader.int("volume").value) ?? 100)
        engine.volume = EngineMapping.engineVolume(volume)
        if let saved = try? reader.object("filters").value {
            filters = saved
            EngineMapping.apply(filters: saved, to: engine)
        }
        if let object = try? reader.object("voice").value, let state = try? VoiceState(patch: object) {
            do { try await updateVoice(state) } catch {
                context.logger.warning("restored player could not rejoin voice", metadata: ["guild": "\(guildId)"])
            }
        }
        guard let encoded = try? reader.string("encoded").value, let info = try? TrackCodec.decode(encoded) else { return }
        var restored = NodeTrack(encoded: encoded, info: info)
        if let data = try? reader.object("userData").value { restored.userData = data }
        endTime = try? reader.int("endTime").value
        let position = (try? reader.int("position").value) ?? 0
        await play(restored, startMs: position, paused: (try? reader.bool("paused").value) ?? false)
    }

    /// Process exit for a restart: audio stops and nothing more is reported; voice is left to
    /// drop with the process, so the new process can identify into the same voice session.
    package func halt() {
        destroyed = true
        endWatcher?.cancel()
        voiceWatcher?.cancel()
        eventTask?.cancel()
        sink.attach(nil)
        engine.stop()
    }
}
