import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
    static let lavalinkAPIVersion = HTTPField.Name("Lavalink-Api-Version")!
    static let userID = HTTPField.Name("User-Id")!
    static let clientName = HTTPField.Name("Client-Name")!
    static let sessionID = HTTPField.Name("Session-Id")!
    static let sessionResumed = HTTPField.Name("Session-Resumed")!
}

/// Every HTTP request of the node: Lavalink's password check (401 missing, 403 wrong, empty
/// body), the `Lavalink-Api-Version: 4` header on every answer, Spring's error JSON, and the
/// v4 routes. Bodies over 1 MB are refused before they are read whole.
package struct NodeResponder: HTTPResponder {
    package typealias Context = BasicRequestContext
    let context: NodeContext
    static let maxBody = 1 << 20

    package init(context: NodeContext) { self.context = context }

    package func respond(to request: Request, context _: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        let trace = request.uri.queryParameters["trace"].map { $0.lowercased() == "true" } ?? false
        var response: Response
        do {
            if path == "/v4/websocket" {
                // Only a refused or plain-HTTP handshake lands here; Lavalink answers 401 for any bad password.
                throw NodeWebSocket.refusal(request.headers, context: context)
                    ?? .badRequest("Expected a WebSocket upgrade")
            }
            if context.configuration.prometheusEnabled, path == context.configuration.prometheusEndpoint, request.method == .get {
                let stats = await context.stats.snapshot(context: context, includeFrames: false)
                response = Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: PrometheusText.render(stats))))
            } else {
                try authorize(request)
                response = try await route(request, path: path)
            }
        } catch let error as NodeHTTPError {
            response = render(error, path: path, trace: trace)
        } catch {
            response = render(.internalError("\(error)"), path: path, trace: trace)
        }
        response.headers[.lavalinkAPIVersion] = "4"
        return response
    }

    private func authorize(_ request: Request) throws(NodeHTTPError) {
        guard let password = context.configuration.password, !password.isEmpty else { return }
        guard let given = request.headers[.authorization] else { throw NodeHTTPError(status: .unauthorized, message: nil) }
        guard given == password else { throw NodeHTTPError(status: .forbidden, message: nil) }
    }

    func render(_ error: NodeHTTPError, path: String, trace: Bool) -> Response {
        if error.message == nil, error.status == .unauthorized || error.status == .forbidden {
            return Response(status: error.status)
        }
        return Self.json(error.body(path: path, includeTrace: trace), status: error.status)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    static func text(_ value: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain;charset=UTF-8"], body: .init(byteBuffer: ByteBuffer(string: value)))
    }

    /// The JSON body, with Lavalink's 400 for what does not parse and 413 past 1 MB.
    static func body(_ request: Request) async throws(NodeHTTPError) -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBody)
        } catch {
            throw NodeHTTPError(status: .contentTooLarge, message: "Request body exceeds \(maxBody) bytes")
        }
        guard buffer.readableBytes > 0 else { throw .badRequest("Required request body is missing") }
        do {
            return try JSONValue.parse(Data(buffer: buffer))
        } catch {
            throw .badRequest(error.description)
        }
    }

    static func queryBool(_ request: Request, _ name: String) throws(NodeHTTPError) -> Bool? {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return nil }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw .badRequest(
                "Failed to convert value of type 'java.lang.String' to required type 'boolean'; Invalid boolean value [\(raw)]")
        }
    }
}
