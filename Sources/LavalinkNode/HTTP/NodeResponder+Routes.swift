import Foundation
import Hummingbird

extension NodeResponder {
    /// Lavalink 4's routes (the reference's §1.2); anything else is Spring's 404 or 405.
    func route(_ request: Request, path: String) async throws -> Response {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method
        let query = request.uri.queryParameters
        switch parts {
        case ["version"] where method == .get:
            return Self.text(NodeVersion.semver)
        case ["v4", "info"] where method == .get:
            return Self.json(NodeVersion.info(context: context))
        case ["v4", "stats"] where method == .get:
            return Self.json(await context.stats.snapshot(context: context, includeFrames: false))
        case ["v4", "loadtracks"] where method == .get:
            guard let identifier = query["identifier"], !identifier.isEmpty else {
                throw NodeHTTPError.badRequest("Required request parameter 'identifier' for method parameter type String is not present")
            }
            return Self.json(await TrackLoader(context: context).load(String(identifier)))
        case ["v4", "decodetrack"] where method == .get:
            guard let raw = query["encodedTrack"] ?? query["track"], !raw.isEmpty else {
                throw NodeHTTPError.badRequest("No track to decode provided")
            }
            return Self.json(try Self.decode(String(raw)).json())
        case ["v4", "decodetracks"] where method == .post:
            return try await decodeTracks(request)
        case ["v4", "routeplanner", "status"] where method == .get,
            ["v4", "routeplanner", "free", "address"] where method == .post,
            ["v4", "routeplanner", "free", "all"] where method == .post:
            // No route planner: Lavalink answers 204 when it is disabled.
            return Response(status: .noContent)
        default:
            break
        }
        if parts.count >= 3, parts[0] == "v4", parts[1] == "sessions" {
            return try await sessionRoute(request, sid: parts[2], rest: Array(parts.dropFirst(3)))
        }
        if [["version"], ["v4", "info"], ["v4", "stats"], ["v4", "loadtracks"], ["v4", "decodetrack"], ["v4", "decodetracks"]]
            .contains(parts)
        {
            throw Self.methodNotAllowed(method)
        }
        throw NodeHTTPError.notFound("No static resource \(parts.joined(separator: "/")).")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method) -> NodeHTTPError {
        NodeHTTPError(status: .methodNotAllowed, message: "Request method '\(method.rawValue)' is not supported")
    }

    private func decodeTracks(_ request: Request) async throws -> Response {
        guard case let .array(items) = try await Self.body(request) else {
            throw NodeHTTPError.badRequest("Expected a JSON array of encoded tracks")
        }
        guard !items.isEmpty else { throw NodeHTTPError.badRequest("No tracks to decode provided") }
        var tracks: [JSONValue] = []
        for item in items {
            guard case let .string(encoded) = item else { throw NodeHTTPError.badRequest("Expected a JSON array of encoded tracks") }
            tracks.append(try Self.decode(encoded).json())
        }
        return Self.json(.array(tracks))
    }

    /// `/v4/sessions/{sid}` and its players.
    private func sessionRoute(_ request: Request, sid: String, rest: [String]) async throws -> Response {
        let method = request.method
        switch (rest.count, method) {
        case (0, .patch):
            let session = try await session(sid)
            guard await session.isAttached else { throw NodeHTTPError.sessionNotFound }
            let reader = try FieldReader(try await Self.body(request), context: "session update")
            let resuming = try reader.bool("resuming").value
            let timeout = try reader.int("timeout").value
            if let timeout, timeout < 0 { throw NodeHTTPError.badRequest("Timeout must be non-negative") }
            return Self.json(await session.configure(resuming: resuming, timeout: timeout))
        case (1, .get) where rest[0] == "players":
            let session = try await session(sid)
            var players: [JSONValue] = []
            for player in await session.allPlayers() { players.append(await player.json()) }
            return Self.json(.array(players))
        case (2, .get) where rest[0] == "players":
            let session = try await session(sid)
            let guild = try Self.guild(rest[1])
            guard let player = await session.player(guild) else { throw NodeHTTPError.playerNotFound }
            return Self.json(await player.json())
        case (2, .patch) where rest[0] == "players":
            return try await patchPlayer(request, sid: sid, gid: rest[1])
        case (2, .delete) where rest[0] == "players":
            let session = try await session(sid)
            _ = await session.removePlayer(try Self.guild(rest[1]))
            await session.persist()
            return Response(status: .noContent)
        default:
            if rest.isEmpty || (rest.count <= 2 && rest[0] == "players") { throw Self.methodNotAllowed(method) }
            throw NodeHTTPError.notFound("No static resource v4/sessions/\(sid)/\(rest.joined(separator: "/")).")
        }
    }

    private func session(_ id: String) async throws(NodeHTTPError) -> NodeSession {
        guard let session = await context.sessions.session(id), await !session.closed else { throw .sessionNotFound }
        return session
    }

    /// The path's guild id, parsed as a Long as Lavalink does.
    static func guild(_ raw: String) throws(NodeHTTPError) -> String {
        guard let value = Int64(raw) else {
            throw .badRequest("Failed to convert value of type 'java.lang.String' to required type 'long'; For input string: \"\(raw)\"")
        }
        return String(value)
    }

    static func decode(_ encoded: String) throws(NodeHTTPError) -> NodeTrack {
        do {
            return NodeTrack(encoded: encoded, info: try TrackCodec.decode(encoded))
        } catch {
            throw .internalError("Failed to decode track: \(error.reason)")
        }
    }

    private func patchPlayer(_ request: Request, sid: String, gid: String) async throws -> Response {
        let session = try await session(sid)
        let guild = try Self.guild(gid)
        let noReplace = try Self.queryBool(request, "noReplace") ?? false
        let configuration = context.configuration
        let update = try PlayerUpdate(body: try await Self.body(request), filterEnabled: configuration.filterEnabled)
        let player = await session.playerCreating(guild)
        let loader = TrackLoader(context: context)
        let result = try await player.apply(update, noReplace: noReplace) { identifier throws(NodeHTTPError) in
            let result = await loader.load(identifier)
            switch result["loadType"] {
            case "track"?:
                guard let data = result["data"], case let .string(encoded)? = data["encoded"] else { break }
                return try Self.decode(encoded)
            case "playlist"?, "search"?: throw NodeHTTPError.badRequest("Cannot play a playlist or search result")
            case "error"?:
                let message = result["data"]?["message"].flatMap { if case let .string(text) = $0 { text } else { nil } }
                throw NodeHTTPError.internalError(message ?? "Failed to load track")
            default: break
            }
            throw NodeHTTPError.badRequest("No matches found for identifier")
        }
        await session.persist()
        return Self.json(result)
    }
}
