import DiscordGateway
import Foundation
import Testing

@Suite("Command and message validation: Discord's limits checked before sending")
struct CommandValidationTests {
    @Test func commandEncodesAsDiscordsJSON() throws {
        let command = ApplicationCommand(
            name: "volume", description: "Set playback volume",
            options: [
                .init(.integer, name: "level", description: "Volume percent", required: true, minValue: 0, maxValue: 200)
            ])
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(command)) as? [String: Any])
        #expect(object["name"] as? String == "volume")
        #expect(object["type"] as? Int == 1)
        #expect(object["contexts"] as? [Int] == [0])
        #expect(object["id"] == nil)
        let option = try #require((object["options"] as? [[String: Any]])?.first)
        #expect(option["type"] as? Int == 4)
        #expect(option["required"] as? Bool == true)
        #expect(option["min_value"] as? Double == 0)
        #expect(option["max_value"] as? Double == 200)
        #expect(option["autocomplete"] == nil)
    }

    @Test func requiredOptionAfterAnOptionalOneIsRefusedNamingIt() {
        let command = ApplicationCommand(
            name: "seek", description: "Seek",
            options: [
                .init(.string, name: "mode", description: "Mode"),
                .init(.string, name: "time", description: "mm:ss", required: true)
            ])
        #expect(throws: DiscordRESTError.invalidRequest("command 'seek': required option 'time' after an optional one")) {
            try command.validate()
        }
    }

    @Test func uppercaseNameIsRefused() {
        #expect(throws: DiscordRESTError.self) { try ApplicationCommand(name: "Play", description: "x").validate() }
    }

    @Test func embedOverItsLimitsIsRefusedNamingTheField() {
        let embed = Embed(title: String(repeating: "t", count: 257))
        #expect(throws: DiscordRESTError.invalidRequest("embed title is 257 characters (limit 256)")) { try embed.validate() }
        let many = MessagePayload(embeds: Array(repeating: Embed(title: "x"), count: 11))
        #expect(throws: DiscordRESTError.invalidRequest("message has 11 embeds (limit 10)")) { try many.validate() }
        let total = MessagePayload(embeds: (0..<2).map { _ in Embed(description: String(repeating: "d", count: 3500)) })
        #expect(throws: DiscordRESTError.invalidRequest("embeds hold 7000 characters in all (limit 6000)")) { try total.validate() }
    }
}
