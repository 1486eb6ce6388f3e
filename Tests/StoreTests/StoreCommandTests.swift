import CadenceTestSupport
import Foundation
import Testing
import UMAServerSim

/// `cadence uma` and `cadence db` as a user runs them, against the fake API.
@Suite("Store CLI commands")
struct StoreCommandTests {
    static func cadence(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let executable = Tools.cadenceExecutable
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "build the cadence executable first (swift build --build-tests)")
        let result = try await Tools.runOffPool(executable.path, arguments, timeout: 60)
        return (result.status, String(decoding: result.stdout, as: UTF8.self), String(decoding: result.stderr, as: UTF8.self))
    }

    @Test("`cadence uma` prints name, Japanese name, birthday, height, profile and image, then '(cached)' on a repeat")
    func umaLookup() async throws {
        let server = try await UMAServerSim.start()
        let directory = try Tools.temporaryDirectory("cli-uma")
        defer {
            try? FileManager.default.removeItem(at: directory)
            Task { await server.shutdown() }
        }
        let db = directory.appendingPathComponent("c.sqlite").path
        let base = ["--api-base", server.baseURL, "--db", db]

        let first = try await Self.cadence(["uma", "oguri", "cap"] + base)
        #expect(first.status == 0, "\(first.err)")
        let lines = first.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "Oguri Cap (オグリキャップ)")
        #expect(lines.contains("Birthday: March 27"))
        #expect(lines.contains("Height: 148 cm"))
        #expect(lines.contains("Profile: (test profile of Oguri Cap)"))
        #expect(lines.contains("Image: http://127.0.0.1:\(server.port)/img/oguricap_01.png"))
        let calls = server.totalRequests

        let second = try await Self.cadence(["uma", "OGURI  CAP"] + base)
        #expect(second.status == 0)
        #expect(second.out.hasPrefix("Oguri Cap (オグリキャップ)  (cached)\n"))
        #expect(server.totalRequests == calls)
    }

    @Test("a long profile is cut to 400 characters")
    func longProfile() async throws {
        let server = try await UMAServerSim.start()
        let directory = try Tools.temporaryDirectory("cli-uma-long")
        defer {
            try? FileManager.default.removeItem(at: directory)
            Task { await server.shutdown() }
        }
        let result = try await Self.cadence(
            ["uma", "special week", "--api-base", server.baseURL, "--db", directory.appendingPathComponent("c.sqlite").path])
        let profile = try #require(result.out.split(separator: "\n").first { $0.hasPrefix("Profile: ") })
        #expect(profile.dropFirst("Profile: ".count).count == 400)
        #expect(profile.hasSuffix("…"))
    }

    @Test("`--json` carries the fields and the cache flags; an unknown name exits 1 with suggestions")
    func jsonAndNotFound() async throws {
        let server = try await UMAServerSim.start()
        let directory = try Tools.temporaryDirectory("cli-uma-json")
        defer {
            try? FileManager.default.removeItem(at: directory)
            Task { await server.shutdown() }
        }
        let base = ["--api-base", server.baseURL, "--db", directory.appendingPathComponent("c.sqlite").path]
        let first = try await Self.cadence(["uma", "スズカ", "--json"] + base)
        #expect(first.status == 0, "\(first.err)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])
        #expect(json["name_en"] as? String == "Silence Suzuka")
        #expect(json["name_jp"] as? String == "サイレンススズカ")
        #expect(json["birthday"] as? String == "May 1")
        #expect(json["height"] as? Int == 161)
        #expect(json["cached"] as? Bool == false)
        #expect(json["stale"] as? Bool == false)
        let again = try await Self.cadence(["uma", "スズカ", "--json"] + base)
        let cached = try #require(JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any])
        #expect(cached["cached"] as? Bool == true)

        let missing = try await Self.cadence(["uma", "Oguri Kap"] + base)
        #expect(missing.status == 0, "a near miss is a fuzzy match")
        let none = try await Self.cadence(["uma", "zzz"] + base)
        #expect(none.status == 1)
        #expect(none.err.hasPrefix("cadence: no character matches \"zzz\""))
        let empty = try await Self.cadence(["uma", "  "] + base)
        #expect(empty.status == 2)
    }

    @Test("`cadence db stats`, `purge` and `clear` report and change the counts")
    func dbCommands() async throws {
        let server = try await UMAServerSim.start()
        let directory = try Tools.temporaryDirectory("cli-db")
        defer {
            try? FileManager.default.removeItem(at: directory)
            Task { await server.shutdown() }
        }
        let db = directory.appendingPathComponent("c.sqlite").path
        _ = try await Self.cadence(["uma", "teio", "--api-base", server.baseURL, "--db", db])

        let stats = try await Self.cadence(["db", "stats", "--db", db, "--json"])
        #expect(stats.status == 0, "\(stats.err)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as? [String: Any])
        let cache = try #require(json["cache"] as? [String: Any])
        // list + detail + images + the search result
        #expect(cache["total"] as? Int == 4)
        #expect(cache["active"] as? Int == 4)
        #expect(cache["expired"] as? Int == 0)
        #expect((cache["bytes"] as? Int ?? 0) > 1000)

        let text = try await Self.cadence(["db", "stats", "--db", db])
        #expect(text.out.contains("cache: total 4, active 4, expired 0, bytes "))

        let purge = try await Self.cadence(["db", "purge", "--db", db])
        #expect(purge.out == "purged: cache 0, resolved tracks 0, metrics 0\n")

        let clear = try await Self.cadence(["db", "clear", "--db", db])
        #expect(clear.out == "cleared: cache 4, resolved tracks 0, metrics 0\n")
        let after = try await Self.cadence(["db", "stats", "--db", db])
        #expect(after.out.contains("cache: total 0, active 0, expired 0, bytes 0"))
    }

    @Test("CADENCE_DB picks the database file")
    func environmentPath() async throws {
        let directory = try Tools.temporaryDirectory("cli-env")
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("from-env.sqlite").path
        let result = try await Tools.runOffPool(
            "/usr/bin/env", ["CADENCE_DB=\(db)", Tools.cadenceExecutable.path, "db", "stats"], timeout: 60)
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self).hasPrefix("database: \(db)\n"))
        #expect(FileManager.default.fileExists(atPath: db))
    }
}
