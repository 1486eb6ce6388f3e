import ArgumentParser
import Foundation
import Store
import UMA

/// `cadence uma <query>`: looks a character up on umapyoi.net through the SQLite cache.
struct UMACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uma",
        abstract: "Look up an Uma Musume character (cached in the local database).")

    @Argument(help: "A character name, English or Japanese, in any case or spacing.")
    var query: [String]

    @Option(name: .customLong("api-base"), help: "The umapyoi API base URL.")
    var apiBase = UMAClient.defaultBaseURL

    @Option(help: "The database file (default: $CADENCE_DB, else under $XDG_DATA_HOME/cadence).")
    var db: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    static let profileLimit = 400

    func validate() throws {
        guard !NameMatcher.normalize(query.joined(separator: " ")).isEmpty else {
            throw ValidationError("the query is empty")
        }
        guard URL(string: apiBase)?.scheme.map({ ["http", "https"].contains($0) }) == true else {
            throw ValidationError("--api-base must be an http(s) URL")
        }
    }

    func run() async throws {
        let database = try StoreCommandSupport.open(db)
        try await StoreMaintenance(database: database).purge(now: Date())
        let client = UMAClient(baseURL: apiBase, database: database)
        let result: Cached<CharacterLookup>
        do {
            result = try await client.search(query.joined(separator: " "))
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let lookup = result.value
        if json {
            try StoreCommandSupport.printJSON(UMAResultJSON(lookup, freshness: result.freshness))
        }
        guard let character = lookup.character else {
            let hint = lookup.nearMatches.isEmpty ? "" : " (did you mean: \(lookup.nearMatches.joined(separator: ", "))?)"
            throw CommandFailure(message: "no character matches \"\(lookup.query)\"\(hint)")
        }
        if json { return }
        let tag =
            switch result.freshness {
            case .cached: "  (cached)"
            case .stale: "  (stale)"
            case .fetched, .revalidated: ""
            }
        var lines = ["\(character.nameEn)" + (character.nameJp.map { " (\($0))" } ?? "") + tag]
        lines.append("Birthday: \(character.birthday ?? "unknown")")
        lines.append("Height: " + (character.height.map { "\($0) cm" } ?? "unknown"))
        if let profile = character.profile, !profile.isEmpty {
            let short = profile.count > Self.profileLimit ? String(profile.prefix(Self.profileLimit - 1)) + "…" : profile
            lines.append("Profile: \(short)")
        }
        lines.append("Image: \(lookup.imageURL ?? "none")")
        if !lookup.nearMatches.isEmpty { lines.append("Also close: \(lookup.nearMatches.joined(separator: ", "))") }
        print(lines.joined(separator: "\n"))
    }
}

/// The `--json` shape of `cadence uma`.
struct UMAResultJSON: Encodable {
    let query: String
    let found: Bool
    let match: String?
    let nameEn: String?
    let nameJp: String?
    let birthday: String?
    let height: Int?
    let profile: String?
    let imageUrl: String?
    let nearMatches: [String]
    let freshness: String
    let cached: Bool
    let stale: Bool

    init(_ lookup: CharacterLookup, freshness: Freshness) {
        query = lookup.query
        found = lookup.character != nil
        match = lookup.matchKind?.rawValue
        nameEn = lookup.character?.nameEn
        nameJp = lookup.character?.nameJp
        birthday = lookup.character?.birthday
        height = lookup.character?.height
        profile = lookup.character?.profile
        imageUrl = lookup.imageURL
        nearMatches = lookup.nearMatches
        self.freshness = freshness.rawValue
        cached = freshness == .cached
        stale = freshness == .stale
    }
}
