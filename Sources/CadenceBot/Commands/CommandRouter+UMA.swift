import Foundation
import Store
import UMA

extension CommandRouter {
    /// `/uma <name>`: the character's card as an embed, from the store's cache when it has it.
    func uma(_ name: String) async -> CommandReply {
        guard let client = dependencies.uma else {
            return CommandReply("Character lookups are not configured.", ephemeral: true)
        }
        let lookup: CharacterLookup
        do {
            lookup = try await client.search(name).value
        } catch {
            return CommandReply("Could not look up \"\(name)\": \(error)", ephemeral: true)
        }
        guard let character = lookup.character else {
            let hint = lookup.nearMatches.isEmpty ? "" : " Did you mean: \(lookup.nearMatches.prefix(5).joined(separator: ", "))?"
            return CommandReply("No character called \"\(name)\".\(hint)", ephemeral: true)
        }
        var fields: [ReplyEmbed.Field] = []
        if let birthday = character.birthday { fields.append(.init(name: "Birthday", value: birthday, inline: true)) }
        if let height = character.height { fields.append(.init(name: "Height", value: "\(height) cm", inline: true)) }
        if let grade = character.grade { fields.append(.init(name: "Grade", value: grade, inline: true)) }
        if let strengths = character.strengths { fields.append(.init(name: "Strengths", value: strengths, inline: true)) }
        if let weaknesses = character.weaknesses { fields.append(.init(name: "Weaknesses", value: weaknesses, inline: true)) }
        let title = character.nameJp.map { "\(character.nameEn) (\($0))" } ?? character.nameEn
        let embed = ReplyEmbed(
            title: title, description: character.slogan ?? character.profile, url: character.link,
            imageURL: lookup.imageURL, color: character.colorMain.flatMap(Self.parseColor), fields: fields)
        return CommandReply(character.nameEn, embed: embed)
    }

    /// Autocomplete for `/uma`: names from the cached character list that contain what was
    /// typed so far (prefix matches first), at most 25 as Discord allows.
    package func umaSuggestions(for partial: String) async -> [String] {
        guard let client = dependencies.uma, let list = try? await client.characterList().value else { return [] }
        let needle = NameMatcher.normalize(partial)
        let names = list.map(\.nameEn)
        guard !needle.isEmpty else { return Array(names.sorted().prefix(25)) }
        let normalized = names.map { ($0, NameMatcher.normalize($0)) }
        let prefix = normalized.filter { $0.1.hasPrefix(needle) }.map(\.0).sorted()
        let inside = normalized.filter { !$0.1.hasPrefix(needle) && $0.1.contains(needle) }.map(\.0).sorted()
        return Array((prefix + inside).prefix(25))
    }

    /// `"#RRGGBB"` or `"RRGGBB"` → 0xRRGGBB.
    static func parseColor(_ text: String) -> Int? {
        let hex = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard hex.count == 6 else { return nil }
        return Int(hex, radix: 16)
    }
}
