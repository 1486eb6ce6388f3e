import Foundation
import Logging
import Synchronization

/// The bot's log output: one line per event on stderr, human-readable on a terminal, logfmt or
/// JSON for journald and log shippers. Every line passes through a redactor first, so a secret
/// that slipped into a message or an error description is still never written.
package struct BotLogHandler: LogHandler {
    /// A concrete line format (`auto` is resolved before a handler is made).
    package enum Style: Sendable { case human, logfmt, json }

    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level
    package let label: String
    package let style: Style
    let redactor: Redactor
    let write: @Sendable (String) -> Void

    package init(
        label: String, style: Style, level: Logger.Level, secrets: [String],
        write: @escaping @Sendable (String) -> Void = BotLogHandler.standardError
    ) {
        self.label = label
        self.style = style
        self.logLevel = level
        self.redactor = Redactor(secrets: secrets)
        self.write = write
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = LogLineFormatter(style: style, label: label).line(
            level: event.level, message: event.message.description, metadata: merged, date: Date())
        write(redactor.redact(line) + "\n")
    }

    /// Writes whole lines to stderr with one system call each, so lines from threads never interleave.
    package static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Installs the handler for the whole process (swift-log allows this once).
    package static func bootstrap(_ configuration: BotConfiguration) {
        let style = resolve(configuration.logFormat, isTerminal: isatty(STDERR_FILENO) == 1)
        let secrets = [configuration.token.revealed]
        LoggingSystem.bootstrap { label in
            BotLogHandler(label: label, style: style, level: configuration.logLevel, secrets: secrets)
        }
    }

    /// `auto` means human on a terminal and logfmt otherwise.
    package static func resolve(_ format: BotConfiguration.LogFormat, isTerminal: Bool) -> Style {
        switch format {
        case .auto: isTerminal ? .human : .logfmt
        case .human: .human
        case .logfmt: .logfmt
        case .json: .json
        }
    }
}

/// Replaces every occurrence of known secrets (and `Bot <token>` authorization values) with
/// `<redacted>`. Secrets shorter than 8 characters are ignored: replacing them would mangle
/// ordinary words without protecting anything real.
package struct Redactor: Sendable {
    let secrets: [String]

    package init(secrets: [String]) { self.secrets = secrets.filter { $0.count >= 8 } }

    package func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }
}
