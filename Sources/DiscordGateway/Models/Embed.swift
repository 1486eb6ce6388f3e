/// A rich embed (doc §6), e.g. the now-playing card or a /uma profile.
///
/// Plain Codable data; `validate()` checks Discord's length limits before sending so an
/// over-long title is a typed error naming the field, not a 50035 from Discord.
package struct Embed: Sendable, Codable, Equatable {
    package var title: String?
    package var description: String?
    package var url: String?
    /// 0xRRGGBB.
    package var color: Int?
    /// ISO 8601.
    package var timestamp: String?
    package var thumbnail: Image?
    package var image: Image?
    package var author: Author?
    package var fields: [Field]?
    package var footer: Footer?

    package init(
        title: String? = nil, description: String? = nil, url: String? = nil, color: Int? = nil,
        timestamp: String? = nil, thumbnail: Image? = nil, image: Image? = nil, author: Author? = nil,
        fields: [Field]? = nil, footer: Footer? = nil
    ) {
        self.title = title
        self.description = description
        self.url = url
        self.color = color
        self.timestamp = timestamp
        self.thumbnail = thumbnail
        self.image = image
        self.author = author
        self.fields = fields
        self.footer = footer
    }

    /// A thumbnail or large image, by URL.
    package struct Image: Sendable, Codable, Equatable {
        package var url: String
        package init(url: String) { self.url = url }
    }

    /// The line above the title (name ≤ 256 characters).
    package struct Author: Sendable, Codable, Equatable {
        package var name: String
        package var url: String?
        package var iconURL: String?
        package init(name: String, url: String? = nil, iconURL: String? = nil) {
            self.name = name
            self.url = url
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case name, url
            case iconURL = "icon_url"
        }
    }

    /// A name/value pair (≤ 256 / 1024 characters), side by side when `inline`.
    package struct Field: Sendable, Codable, Equatable {
        package var name: String
        package var value: String
        package var inline: Bool?
        package init(name: String, value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline ? true : nil
        }
    }

    /// The small line at the bottom (≤ 2048 characters).
    package struct Footer: Sendable, Codable, Equatable {
        package var text: String
        package var iconURL: String?
        package init(text: String, iconURL: String? = nil) {
            self.text = text
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case text
            case iconURL = "icon_url"
        }
    }

    /// All text that counts toward the 6000-character message total.
    var textLength: Int {
        [title, description, author?.name, footer?.text].compactMap { $0?.count }.reduce(0, +)
            + (fields ?? []).reduce(0) { $0 + $1.name.count + $1.value.count }
    }

    /// Checks the per-embed limits of doc §6.
    package func validate() throws(DiscordRESTError) {
        func check(_ value: String?, _ limit: Int, _ field: String) throws(DiscordRESTError) {
            if let value, value.count > limit { throw .invalidRequest("embed \(field) is \(value.count) characters (limit \(limit))") }
        }
        try check(title, 256, "title")
        try check(description, 4096, "description")
        try check(author?.name, 256, "author.name")
        try check(footer?.text, 2048, "footer.text")
        let fields = fields ?? []
        if fields.count > 25 { throw .invalidRequest("embed has \(fields.count) fields (limit 25)") }
        for field in fields {
            try check(field.name, 256, "field.name")
            try check(field.value, 1024, "field.value")
        }
    }
}
