import Foundation
import Store

/// One entry of umapyoi's `/character/list`. Only the name is required; the API adds and
/// changes fields over time, so everything else is optional and unknown keys are ignored.
public struct UMACharacterSummary: Codable, Sendable, Equatable {
    /// The site id (e.g. 4737); `/character/{id}` accepts it.
    public var id: Int
    public var nameEn: String
    public var nameJp: String?
    public var nameEnInternal: String?
    public var preferredUrl: String?
    public var categoryLabelEn: String?
    public var colorMain: String?
    public var rowNumber: Int?
    public var thumbImg: String?

    public init(id: Int, nameEn: String, nameJp: String? = nil, nameEnInternal: String? = nil,
                preferredUrl: String? = nil, categoryLabelEn: String? = nil, colorMain: String? = nil,
                rowNumber: Int? = nil, thumbImg: String? = nil)
    {
        self.id = id
        self.nameEn = nameEn
        self.nameJp = nameJp
        self.nameEnInternal = nameEnInternal
        self.preferredUrl = preferredUrl
        self.categoryLabelEn = categoryLabelEn
        self.colorMain = colorMain
        self.rowNumber = rowNumber
        self.thumbImg = thumbImg
    }
}

/// A character profile from `/character/{id}`: the fields the bot shows, all but id and name optional.
public struct UMACharacter: Codable, Sendable, Equatable {
    public var id: Int
    public var gameId: Int?
    public var nameEn: String
    public var nameJp: String?
    public var categoryLabelEn: String?
    public var colorMain: String?
    public var thumbImg: String?
    public var birthMonth: Int?
    public var birthDay: Int?
    public var grade: String?
    public var height: Int?
    public var weight: String?
    public var residence: String?
    public var strengths: String?
    public var weaknesses: String?
    public var profile: String?
    public var slogan: String?
    public var snsIcon: String?
    public var link: String?

    /// "May 2", or nil when the API has no birthday.
    public var birthday: String? {
        guard let month = birthMonth, let day = birthDay, (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        return "\(names[month - 1]) \(day)"
    }
}

/// One image category from `/character/images/{id}` (e.g. Uniform, Racewear), newest image first.
public struct UMAImageCategory: Codable, Sendable, Equatable {
    public var label: String?
    public var labelEn: String?
    public var images: [UMAImage]
}

/// One image URL and its upload day (`YYYY-MM-DD`).
public struct UMAImage: Codable, Sendable, Equatable {
    public var image: String
    public var uploaded: String?
}

/// The answer to a name search: the matched character with its first image, or none, plus
/// the other names that came close ("did you mean").
public struct CharacterLookup: Codable, Sendable, Equatable {
    /// How the query matched the name.
    public enum MatchKind: String, Codable, Sendable {
        case exact, prefix, substring, fuzzy
    }

    /// The normalised query.
    public var query: String
    public var character: UMACharacter?
    public var matchKind: MatchKind?
    public var imageURL: String?
    public var nearMatches: [String]
}
