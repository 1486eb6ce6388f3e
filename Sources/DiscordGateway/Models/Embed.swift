/// A rich embed (doc §6), e.g. the now-playing card or a /uma profile.
///
/// Plain Codable data; `validate()` checks Discord's length limits before sending so an
/// over-long title is a typed error naming the field, not a 50035 from Discord.
public struct Embed: Sendable, Codable, Equatable {
    public var title: String?
    public var description: String?
    public var url: String?
    /// 0xRRGGBB.
    public var color: Int?
    /// ISO 8601.
    public var timestamp: String?
    public var thumbnail: Image?
    public var image: Image?
    public var author: Author?
    public var fields: [Field]?
    public var footer: Footer?

    public init(title: String? = nil, description: String? = nil, url: String? = nil, color: Int? = nil,
                timestamp: String? = nil, thumbnail: Image? = nil, image: Image? = nil, author: Author? = nil,
                fields: [Field]? = nil, footer: Footer? = nil)
    {
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
    public struct Image: Sendable, Codable, Equatable {
        public var url: String
        public init(url: String) { self.url = url }
    }

    /// The line above the title (name ≤ 256 characters).
    public struct Author: Sendable, Codable, Equatable {
        public var name: String
        public var url: String?
        public var iconURL: String?
        public init(name: String, url: String? = nil, iconURL: String? = nil) {
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
    public struct Field: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
        public var inline: Bool?
        public init(name: String, value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline ? true : nil
        }
    }

    /// The small line at the bottom (≤ 2048 characters).
    public struct Footer: Sendable, Codable, Equatable {
        public var text: String
        public var iconURL: String?
        public init(text: String, iconURL: String? = nil) {
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
    public func validate() throws(DiscordRESTError) {
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
