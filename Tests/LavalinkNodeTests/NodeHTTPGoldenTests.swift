import CadenceTestSupport
import Foundation
import MediaServerSim
import Testing

/// Every JSON shape and error text of the reference's §1, over raw HTTP against a real node.
@Suite struct NodeHTTPGoldenTests {
    static let trackInfoKeys: Set<String> = [
        "identifier", "isSeekable", "author", "length", "isStream", "position", "title",
        "uri", "artworkUrl", "isrc", "sourceName"
    ]

    @Test func versionIsPlainTextFourXYBehindThePassword() async throws {
        let node = try await NodeHarness()
        defer { Task { await node.shutdown() } }
        let reply = try await node.request(.GET, "/version")
        #expect(reply.status == 200)
        #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
        #expect(reply.headers.first(name: "Lavalink-Api-Version") == "4")
        let parts = reply.text.split(separator: ".")
        #expect(parts.count == 3 && parts[0] == "4" && Int(parts[1]) != nil)
        await node.shutdown()
    }

    @Test func missingPasswordIs401AndWrongIs403WithEmptyBodiesOnEveryRoute() async throws {
        let node = try await NodeHarness()
        for path in ["/version", "/v4/info", "/v4/stats", "/v4/loadtracks?identifier=x", "/v4/sessions/abc/players", "/nowhere"] {
            let missing = try await node.request(.GET, path, headers: [:])
            #expect(missing.status == 401, "\(path)")
            #expect(missing.body.isEmpty)
            #expect(missing.headers.first(name: "Lavalink-Api-Version") == "4")
            let wrong = try await node.request(.GET, path, headers: ["Authorization": "nope"])
            #expect(wrong.status == 403, "\(path)")
            #expect(wrong.body.isEmpty)
        }
        await node.shutdown()
    }

    @Test func infoNamesItsSourcesAndOnlyTheFiltersTheEngineApplies() async throws {
        let node = try await NodeHarness()
        let info = try await node.request(.GET, "/v4/info").object()
        let version = try #require(info["version"] as? [String: Any])
        #expect((version["semver"] as? String)?.hasPrefix("4.") == true)
        #expect(version["major"] as? Int == 4)
        #expect(version.keys.contains("preRelease") && version.keys.contains("build"))
        let sources = try #require(info["sourceManagers"] as? [String])
        #expect(sources.contains("http"))
        #expect(!sources.contains("local"))
        // All ten of Lavalink's filters are heard through the engine, in /v4/info's order.
        #expect(
            (info["filters"] as? [String]) == [
                "volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato",
                "distortion", "rotation", "channelMix", "lowPass"
            ])
        #expect((info["plugins"] as? [Any])?.isEmpty == true)
        for key in ["buildTime", "git", "jvm", "lavaplayer"] { #expect(info[key] != nil, "\(key)") }
        await node.shutdown()
    }

    @Test func infoLeavesOutTheFiltersTheConfigTurnsOff() async throws {
        let node = try await NodeHarness {
            $0.filters["timescale"] = false
            $0.filters["karaoke"] = false
        }
        let info = try await node.request(.GET, "/v4/info").object()
        #expect(
            (info["filters"] as? [String]) == [
                "volume", "equalizer", "tremolo", "vibrato", "distortion", "rotation",
                "channelMix", "lowPass"
            ])
        await node.shutdown()
    }

    @Test func statsCarryPlayersMemoryAsRSSAndCPUButNoFrameStats() async throws {
        let node = try await NodeHarness()
        let stats = try await node.request(.GET, "/v4/stats").object()
        #expect(stats["players"] as? Int == 0)
        #expect(stats["playingPlayers"] as? Int == 0)
        #expect((stats["uptime"] as? Int ?? -1) >= 0)
        #expect(stats["frameStats"] == nil)
        let memory = try #require(stats["memory"] as? [String: Any])
        let used = try #require(memory["used"] as? Int)
        let allocated = try #require(memory["allocated"] as? Int)
        // RSS of a test process is tens of MB, far below the machine's memory.
        #expect(used > 5 << 20 && used < allocated)
        #expect(memory["free"] as? Int == allocated - used)
        #expect(memory["reservable"] as? Int == allocated)
        let cpu = try #require(stats["cpu"] as? [String: Any])
        #expect(cpu["cores"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
        let load = try #require(cpu["systemLoad"] as? Double)
        #expect((0...1).contains(load))
        await node.shutdown()
    }

    @Test func loadingAnHTTPTrackGivesEveryInfoKeyAndAStringThatDecodesBack() async throws {
        let node = try await NodeHarness()
        let media = try await NodeFixtures.server("song.ogg", seconds: 3)
        let url = media.url("song.ogg")
        let query = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let result = try await node.request(.GET, "/v4/loadtracks?identifier=\(query)").object()
        #expect(result["loadType"] as? String == "track")
        let track = try #require(result["data"] as? [String: Any])
        #expect(Set(track.keys) == ["encoded", "info", "pluginInfo", "userData"])
        let info = try #require(track["info"] as? [String: Any])
        #expect(Set(info.keys) == Self.trackInfoKeys)
        #expect(info["title"] as? String == "Test Tone")
        #expect(info["author"] as? String == "Cadence Tests")
        #expect(info["sourceName"] as? String == "http")
        #expect(info["uri"] as? String == url && info["identifier"] as? String == url)
        #expect(info["isStream"] as? Bool == false && info["isSeekable"] as? Bool == true)
        #expect(abs((info["length"] as? Int ?? 0) - 3000) <= 40)
        #expect(info["artworkUrl"] is NSNull && info["isrc"] is NSNull)
        let encoded = try #require(track["encoded"] as? String)
        let bytes = try #require(Data(base64Encoded: encoded))
        #expect(bytes.first == 0x40)  // flags = TRACK_INFO_VERSIONED
        #expect(bytes[4] == 3)  // version 3

        let decoded = try await node.request(
            .GET, "/v4/decodetrack?encodedTrack=\(encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        ).object()
        #expect(NSDictionary(dictionary: decoded["info"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: info))
        let many = try await node.request(.POST, "/v4/decodetracks", json: "[\"\(encoded)\",\"\(encoded)\"]").json() as? [[String: Any]]
        #expect(many?.count == 2)
        #expect(many?.first?["encoded"] as? String == encoded)
        await media.shutdown()
        await node.shutdown()
    }

    @Test func theReferenceExampleStringDecodesAsVersion2() async throws {
        let node = try await NodeHarness()
        // The Lavalink docs' example (v2, youtube), as the reference decodes it.
        let example =
            "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA=="
        let reply = try await node.request(
            .GET, "/v4/decodetrack?encodedTrack=\(example.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(reply.status == 200)
        let info = try #require(try reply.object()["info"] as? [String: Any])
        #expect(info["title"] as? String == "Rick Astley - Never Gonna Give You Up")
        #expect(info["author"] as? String == "RickAstleyVEVO")
        #expect(info["length"] as? Int == 212_000)
        #expect(info["identifier"] as? String == "dQw4w9WgXcQ")
        #expect(info["sourceName"] as? String == "youtube")
        #expect(info["uri"] as? String == "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        #expect(info["position"] as? Int == 0)
        await node.shutdown()
    }

    @Test func unknownPrefixesAreEmptyAndMissingMediaIsAnErrorWithSeverity() async throws {
        let node = try await NodeHarness()
        let empty = try await node.request(.GET, "/v4/loadtracks?identifier=spsearch:never").object()
        #expect(empty["loadType"] as? String == "empty")
        #expect((empty["data"] as? [String: Any])?.isEmpty == true)
        let media = try await MediaServer.start()
        let missing = media.url("missing.ogg").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let reply = try await node.request(.GET, "/v4/loadtracks?identifier=\(missing)")
        #expect(reply.status == 200)
        let error = try reply.object()
        #expect(error["loadType"] as? String == "error")
        let data = try #require(error["data"] as? [String: Any])
        #expect(Set(data.keys) == ["message", "severity", "cause", "causeStackTrace"])
        #expect(data["severity"] as? String == "common")
        await media.shutdown()
        await node.shutdown()
    }

    @Test func errorsAreSpringJSONWithLavalinkMessagesAndTraceOnlyWhenAsked() async throws {
        let node = try await NodeHarness()
        let reply = try await node.request(.GET, "/v4/sessions/nosuchsession0000/players")
        #expect(reply.status == 404)
        #expect(reply.headers.first(name: "Lavalink-Api-Version") == "4")
        let body = try reply.object()
        #expect(Set(body.keys) == ["timestamp", "status", "error", "message", "path"])
        #expect(body["status"] as? Int == 404)
        #expect(body["error"] as? String == "Not Found")
        #expect(body["message"] as? String == "Session not found")
        #expect(body["path"] as? String == "/v4/sessions/nosuchsession0000/players")
        let stamp = try #require(body["timestamp"] as? Int)
        #expect(abs(Double(stamp) / 1000 - Date().timeIntervalSince1970) < 5)
        let traced = try await node.request(.GET, "/v4/sessions/nosuchsession0000/players?trace=true").object()
        #expect(traced["trace"] is String)
        let decode = try await node.request(.GET, "/v4/decodetrack")
        #expect(decode.status == 400)
        #expect(try decode.object()["message"] as? String == "No track to decode provided")
        let none = try await node.request(.POST, "/v4/decodetracks", json: "[]")
        #expect(none.status == 400)
        #expect(try none.object()["message"] as? String == "No tracks to decode provided")
        await node.shutdown()
    }

    @Test func routeplannerAnswers204AsADisabledPlanner() async throws {
        let node = try await NodeHarness()
        #expect(try await node.request(.GET, "/v4/routeplanner/status").status == 204)
        #expect(try await node.request(.POST, "/v4/routeplanner/free/address", json: "{\"address\":\"1.2.3.4\"}").status == 204)
        #expect(try await node.request(.POST, "/v4/routeplanner/free/all").status == 204)
        await node.shutdown()
    }
}
