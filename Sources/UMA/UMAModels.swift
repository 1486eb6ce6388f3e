import Foundation
import Store

/// One entry of umapyoi's `/character/list`. Only the name is required; the API adds and
/// changes fields over time, so everything else is optional and unknown keys are ignored.
package struct UMACharacterSummary: Codable, Sendable, Equatable {
    /// The site id (e.g. 4737); `/character/{id}` accepts it.
    package var id: Int
    package var nameEn: String
    package var nameJp: String?
    package var nameEnInternal: String?
    package var preferredUrl: String?
    package var categoryLabelEn: String?
    package var colorMain: String?
    package var rowNumber: Int?
    package var thumbImg: String?

    package init(
        id: Int, nameEn: String, nameJp: String? = nil, nameEnInternal: String? = nil,
        preferredUrl: String? = nil, categoryLabelEn: String? = nil, colorMain: String? = nil,
        rowNumber: Int? = nil, thumbImg: String? = nil
    ) {
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
package struct UMACharacter: Codable, Sendable, Equatable {
    package var id: Int
    package var gameId: Int?
    package var nameEn: String
    package var nameJp: String?
    package var categoryLabelEn: String?
    package var colorMain: String?
    package var thumbImg: String?
    package var birthMonth: Int?
    package var birthDay: Int?
    package var grade: String?
    package var height: Int?
    package var weight: String?
    package var residence: String?
    package var strengths: String?
    package var weaknesses: String?
    package var profile: String?
    package var slogan: String?
    package var snsIcon: String?
    package var link: String?

    /// "May 2", or nil when the API has no birthday.
    package var birthday: String? {
        guard let month = birthMonth, let day = birthDay, (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"
        ]
        return "\(names[month - 1]) \(day)"
    }
}

/// One image category from `/character/images/{id}` (e.g. Uniform, Racewear), newest image first.
package struct UMAImageCategory: Codable, Sendable, Equatable {
    package var label: String?
    package var labelEn: String?
    package var images: [UMAImage]
}

/// One image URL and its upload day (`YYYY-MM-DD`).
package struct UMAImage: Codable, Sendable, Equatable {
    package var image: String
    package var uploaded: String?
}

/// The answer to a name search: the matched character with its first image, or none, plus
/// the other names that came close ("did you mean").
package struct CharacterLookup: Codable, Sendable, Equatable {
    /// How the query matched the name.
    package enum MatchKind: String, Codable, Sendable {
        case exact, prefix, substring, fuzzy
    }

    /// The normalised query.
    package var query: String
    package var character: UMACharacter?
    package var matchKind: MatchKind?
    package var imageURL: String?
    package var nearMatches: [String]
}
