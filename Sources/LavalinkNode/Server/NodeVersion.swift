/// What the node says it is: a Lavalink 4 API, built by Cadence.
package enum NodeVersion {
    /// `/version`: must start `4.` (mafic and pomice build `/v{major}` paths from it).
    package static let semver = "4.2.2"

    package static func info(context: NodeContext) -> JSONValue {
        [
            "version": ["semver": .string(semver), "major": 4, "minor": 2, "patch": 2, "preRelease": .null, "build": "cadence.1"],
            "buildTime": 0,
            "git": ["branch": "main", "commit": "unknown", "commitTime": 0],
            "jvm": "none (Cadence, native Swift)",
            "lavaplayer": "none (Cadence AudioEngine)",
            "sourceManagers": .array(context.sourceManagers.map { .string($0) }),
            "filters": .array(context.infoFilters.map { .string($0) }),
            "plugins": .array([])
        ]
    }
}
