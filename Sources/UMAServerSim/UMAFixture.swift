import Foundation

/// The fixture umapyoi data the fake server serves: the five characters of the API notes
/// (four horse girls with their real ids, game ids and main colours, plus Yayoi Akikawa, a
/// related party with no game id). Other values are illustrative; URLs point at the fake host.
struct UMAFixture: Sendable {
    struct Character: Sendable {
        let id: Int
        let gameID: Int?
        let nameEn: String
        let nameJp: String
        let slug: String
        let dashed: String
        let related: Bool
        let colorMain: String
        let colorSub: String
        let birth: (month: Int, day: Int)
        let height: Int
        let hasImages: Bool
    }

    static let characters: [Character] = [
        Character(
            id: 4737, gameID: 1001, nameEn: "Special Week", nameJp: "スペシャルウィーク", slug: "specialweek",
            dashed: "special-week", related: false, colorMain: "#EE6DCB", colorSub: "#F5B6E2",
            birth: (5, 2), height: 158, hasImages: true),
        Character(
            id: 4536, gameID: 1002, nameEn: "Silence Suzuka", nameJp: "サイレンススズカ", slug: "silencesuzuka",
            dashed: "silence-suzuka", related: false, colorMain: "#29BD70", colorSub: "#9EE3BF",
            birth: (5, 1), height: 161, hasImages: true),
        Character(
            id: 4550, gameID: 1003, nameEn: "Tokai Teio", nameJp: "トウカイテイオー", slug: "tokaiteio",
            dashed: "tokai-teio", related: false, colorMain: "#3376D2", colorSub: "#A9C6EF",
            birth: (4, 20), height: 150, hasImages: true),
        Character(
            id: 4879, gameID: 1006, nameEn: "Oguri Cap", nameJp: "オグリキャップ", slug: "oguricap",
            dashed: "oguri-cap", related: false, colorMain: "#3A7AD2", colorSub: "#B0CBEF",
            birth: (3, 27), height: 148, hasImages: true),
        Character(
            id: 90001, gameID: nil, nameEn: "Yayoi Akikawa", nameJp: "秋川やよい", slug: "yayoiakikawa",
            dashed: "yayoi-akikawa", related: true, colorMain: "#E8A33D", colorSub: "#F6D9A8",
            birth: (1, 1), height: 140, hasImages: false)
    ]

    let host: String

    func listEntry(_ c: Character, row: Int) -> [String: Any] {
        let label = c.related ? "トレセン学園関係者" : "ウマ娘"
        return [
            "id": c.id, "name_en": c.nameEn, "name_jp": c.nameJp, "name_en_internal": c.slug,
            "preferred_url": c.dashed, "category_label": label,
            "category_label_en": c.related ? "Related parties" : "Umamusume", "category_value": label,
            "color_main": c.colorMain, "color_sub": c.colorSub, "row_number": row,
            "thumb_img": "\(host)/img/\(c.slug)_thumb.png"
        ]
    }

    var list: [[String: Any]] {
        Self.characters.enumerated().map { listEntry($1, row: $0 + 1) }
    }

    func character(id: Int) -> Character? {
        Self.characters.first { $0.id == id || $0.gameID == id }
    }

    func detail(_ c: Character) -> [String: Any] {
        let row = (Self.characters.firstIndex { $0.id == c.id } ?? 0) + 1
        var object = listEntry(c, row: row)
        let profile =
            c.id == 4737
            ? String(repeating: "A long test profile that runs past four hundred characters. ", count: 8)
            : "(test profile of \(c.nameEn))"
        let extra: [String: Any] = [
            "game_id": c.gameID.map { $0 as Any } ?? NSNull(), "birth_month": c.birth.month, "birth_day": c.birth.day,
            "grade": "Middle School", "height": c.height, "weight": "Perfect", "size_b": 0, "size_w": 0,
            "size_h": 0, "shoe_size": "0", "residence": "Dorm", "strengths": "(test text)",
            "weaknesses": "(test text)", "ears_fact": "(test text)", "tail_fact": "(test text)",
            "family_fact": "(test text)", "profile": profile, "slogan": "(test slogan)",
            "voice": "\(host)/audio/\(c.slug).mp3", "sns_icon": "\(host)/img/\(c.slug)_icon.png",
            "sns_header": "\(host)/img/\(c.slug)_header.png", "detail_img_pc": NSNull(), "detail_img_sp": NSNull(),
            "link": "\(host)/character/\(c.slug)", "date_gmt": "2021-02-24T00:00:00",
            "modified_gmt": "2024-02-24T00:00:00", "site_idx": row
        ]
        object.merge(extra) { _, new in new }
        return object
    }

    func images(_ c: Character) -> [[String: Any]] {
        guard c.hasImages else { return [] }
        return [
            [
                "label": "制服", "label_en": "Uniform",
                "images": [
                    ["image": "\(host)/img/\(c.slug)_01.png", "uploaded": "2024-02-24"],
                    ["image": "\(host)/img/\(c.slug)_00.png", "uploaded": "2023-01-10"]
                ]
            ],
            [
                "label": "勝負服", "label_en": "Racewear",
                "images": [
                    ["image": "\(host)/img/\(c.slug)_race.png", "uploaded": "2024-02-24"]
                ]
            ]
        ]
    }

    /// The JSON body for a path under `/api/v1`, or nil for an unknown path or id (404).
    func body(for path: String) -> Data? {
        let parts = path.split(separator: "/").map(String.init)
        let object: Any?
        switch parts.count {
        case 2 where parts == ["character", "list"]:
            object = list
        case 3 where parts[0] == "character" && parts[1] == "images":
            object = Int(parts[2]).flatMap(character(id:)).map(images)
        case 2 where parts[0] == "character":
            object = Int(parts[1]).flatMap(character(id:)).map(detail)
        default:
            object = nil
        }
        return object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
    }
}
