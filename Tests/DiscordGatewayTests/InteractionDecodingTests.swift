import DiscordGateway
import Foundation
import Testing

@Suite("Interaction decoding: options of every type")
struct InteractionDecodingTests {
    /// The doc's /play example, with one option of each type Cadence's commands use.
    static let payload = """
        {"id":"1300000000000000001","application_id":"1100000000000000000","type":2,
         "token":"aW50ZXJhY3Rpb246","version":1,"guild_id":"900000000000000000",
         "channel_id":"900000000000000010","locale":"en-US",
         "member":{"user":{"id":"800000000000000001","username":"alice","global_name":"Alice"},"roles":[]},
         "data":{"id":"1200000000000000000","name":"play","type":1,
                 "options":[{"name":"query","type":3,"value":"never gonna give you up"},
                            {"name":"level","type":4,"value":150},
                            {"name":"speed","type":10,"value":1.5},
                            {"name":"loud","type":5,"value":true}]}}
        """

    @Test func slashCommandOptionsKeepTheirTypes() throws {
        let interaction = try JSONDecoder().decode(Interaction.self, from: Data(Self.payload.utf8))
        #expect(interaction.kind == .applicationCommand)
        #expect(interaction.commandName == "play")
        #expect(interaction.guildID == "900000000000000000")
        #expect(interaction.user?.displayName == "Alice")
        #expect(interaction.option("query")?.value == .string("never gonna give you up"))
        #expect(interaction.option("level")?.value == .integer(150))
        #expect(interaction.option("level")?.integerValue == 150)
        #expect(interaction.option("speed")?.value == .number(1.5))
        #expect(interaction.option("loud")?.value == .boolean(true))
        #expect(interaction.focusedOption == nil)
    }

    @Test func directMessageInvokerComesFromUser() throws {
        let json = """
            {"id":"1","application_id":"2","type":4,"token":"t","user":{"id":"3","username":"bob"},
             "data":{"name":"uma","options":[{"name":"name","type":3,"value":"spe","focused":true}]}}
            """
        let interaction = try JSONDecoder().decode(Interaction.self, from: Data(json.utf8))
        #expect(interaction.kind == .autocomplete)
        #expect(interaction.user?.id == "3")
        #expect(interaction.guildID == nil)
        #expect(interaction.focusedOption?.name == "name")
        #expect(interaction.focusedOption?.stringValue == "spe")
    }

    @Test func partialIntegerTypedDuringAutocompleteStaysReadable() throws {
        let json = """
            {"id":"1","application_id":"2","type":4,"token":"t","guild_id":"5","member":{"user":{"id":"3","username":"c"}},
             "data":{"name":"volume","options":[{"name":"level","type":4,"value":"12","focused":true}]}}
            """
        let interaction = try JSONDecoder().decode(Interaction.self, from: Data(json.utf8))
        #expect(interaction.focusedOption?.integerValue == 12)
    }
}
