/// One REST endpoint call: method, concrete path, and what rate limiting needs to know.
///
/// `template` is the path with ids and tokens replaced by their names; it is what logs and
/// errors show (so interaction tokens never leak) and, with the major parameter, the key of the
/// rate-limit bucket until Discord names the bucket (doc §5).
package struct Route: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP methods Discord's routes use.
    package enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE" }

    package var method: Method
    package var path: String
    package var template: String
    /// channel_id, guild_id, or webhook id + token: routes differing here are separate limits.
    package var majorParameter: String?
    /// Interaction callbacks and interaction-token webhooks are not bound by the global limit.
    package var isInteraction: Bool

    package init(_ method: Method, path: String, template: String, majorParameter: String? = nil, isInteraction: Bool = false) {
        self.method = method
        self.path = path
        self.template = template
        self.majorParameter = majorParameter
        self.isInteraction = isInteraction
    }

    package var description: String { "\(method.rawValue) \(template)" }

    /// The serialization lane: one request at a time per route and major parameter, in order.
    var laneKey: String { "\(method.rawValue) \(template) \(majorParameter ?? "")" }

    package static let gatewayBot = Route(.get, path: "/gateway/bot", template: "/gateway/bot")

    package static func bulkOverwriteCommands(applicationID: Snowflake, guildID: Snowflake?) -> Route {
        if let guildID {
            return Route(
                .put, path: "/applications/\(applicationID)/guilds/\(guildID)/commands",
                template: "/applications/{app_id}/guilds/{guild_id}/commands", majorParameter: guildID.rawValue)
        }
        return Route(.put, path: "/applications/\(applicationID)/commands", template: "/applications/{app_id}/commands")
    }

    package static func interactionCallback(interactionID: Snowflake, token: String) -> Route {
        Route(
            .post, path: "/interactions/\(interactionID)/\(token)/callback",
            template: "/interactions/{id}/{token}/callback", majorParameter: interactionID.rawValue, isInteraction: true)
    }

    package static func editOriginal(applicationID: Snowflake, token: String) -> Route {
        Route(
            .patch, path: "/webhooks/\(applicationID)/\(token)/messages/@original",
            template: "/webhooks/{app_id}/{token}/messages/@original", majorParameter: "\(applicationID)/\(token)",
            isInteraction: true)
    }

    /// DELETE @original: withdraws a (deferred) reply, e.g. to answer privately by followup instead.
    package static func deleteOriginal(applicationID: Snowflake, token: String) -> Route {
        Route(
            .delete, path: "/webhooks/\(applicationID)/\(token)/messages/@original",
            template: "/webhooks/{app_id}/{token}/messages/@original", majorParameter: "\(applicationID)/\(token)",
            isInteraction: true)
    }

    package static func followup(applicationID: Snowflake, token: String) -> Route {
        Route(
            .post, path: "/webhooks/\(applicationID)/\(token)", template: "/webhooks/{app_id}/{token}",
            majorParameter: "\(applicationID)/\(token)", isInteraction: true)
    }
}
