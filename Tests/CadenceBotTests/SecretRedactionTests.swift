import Foundation
import Logging
import Synchronization
import Testing

@testable import CadenceBot

@Suite struct SecretRedactionTests {
    let token = "MTAxNjQ4.secret-part.XyZ_0123456789"

    @Test func theConfigurationDescriptionNeverShowsTheToken() async throws {
        let config = try await BotConfiguration.load(environment: ["DISCORD_TOKEN": token])
        #expect(!config.description.contains(token))
        #expect(!"\(config)".contains("secret-part"))
        #expect(config.description.contains("token=<redacted>"))
        #expect(!String(reflecting: config.token).contains(token))
    }

    @Test func aBadTokenIsDescribedWithoutEchoingIt() async {
        do {
            _ = try await BotConfiguration.load(environment: ["DISCORD_TOKEN": "Bot " + token])
            Issue.record("a token with the Bot prefix was accepted")
        } catch {
            #expect(error.lines.count == 1)
            #expect(!error.description.contains("secret-part"))
        }
    }

    @Test(arguments: [BotLogHandler.Style.human, .logfmt, .json])
    func logLinesHaveTheTokenRemovedWhereverItAppears(style: BotLogHandler.Style) {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "cadence.test") { label in
            BotLogHandler(label: label, style: style, level: .debug, secrets: [token]) { line in
                lines.withLock { $0.append(line) }
            }
        }
        logger[metadataKey: "guild"] = "1234"
        logger.error("request failed: Authorization: Bot \(token)", metadata: ["header": "\(token)"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        #expect(!written[0].contains("secret-part"))
        #expect(written[0].contains("guild"))
        #expect(written[0].contains("1234"))
    }

    @Test func logfmtQuotesValuesWithSpacesAndKeepsKeysSorted() {
        let line = LogLineFormatter(style: .logfmt, label: "cadence.bot")
            .line(level: .info, message: "joined voice", metadata: ["guild": "42", "channel": "7"], date: Date(timeIntervalSince1970: 0))
        #expect(line.hasSuffix(#"level=info logger=cadence.bot msg="joined voice" channel=7 guild=42"#))
    }

    @Test func autoFormatIsHumanOnATerminalAndLogfmtElsewhere() {
        #expect(BotLogHandler.resolve(.auto, isTerminal: true) == .human)
        #expect(BotLogHandler.resolve(.auto, isTerminal: false) == .logfmt)
        #expect(BotLogHandler.resolve(.json, isTerminal: true) == .json)
    }
}
