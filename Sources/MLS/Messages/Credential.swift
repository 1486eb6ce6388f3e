/// An MLS credential. Basic credentials carry an identity; X.509 chains are decoded and kept
/// (so messages round-trip) but never validated, as DAVE does not use them.
package enum Credential: MLSCodable, Equatable {
    case basic(identity: [UInt8])
    case x509(certificates: [[UInt8]])

    package static let basicType: UInt16 = 1
    package static let x509Type: UInt16 = 2

    package var type: UInt16 {
        switch self {
        case .basic: Self.basicType
        case .x509: Self.x509Type
        }
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u16("Credential.credential_type")
        switch type {
        case Self.basicType:
            self = .basic(identity: try r.opaque("Credential.identity"))
        case Self.x509Type:
            self = .x509(
                certificates: try r.vector("Credential.certificates") { (r: inout TLSReader) throws(MLSCodecError) in
                    try r.opaque("Certificate.cert_data")
                })
        default:
            throw .unknownValue(field: "Credential.credential_type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(type)
        switch self {
        case .basic(let identity): w.opaque(identity)
        case .x509(let certificates): w.vector { w in certificates.forEach { w.opaque($0) } }
        }
    }
}

/// What a client supports; used to check that every member can handle the group's features.
package struct Capabilities: MLSCodable, Equatable {
    package var versions: [UInt16]
    package var cipherSuites: [UInt16]
    package var extensions: [UInt16]
    package var proposals: [UInt16]
    package var credentials: [UInt16]

    /// What this library supports: MLS 1.0, suite 2, basic credentials, no extra types.
    package static let `default` = Capabilities(versions: [1], cipherSuites: [2], extensions: [], proposals: [], credentials: [1])

    package init(versions: [UInt16], cipherSuites: [UInt16], extensions: [UInt16], proposals: [UInt16], credentials: [UInt16]) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.extensions = extensions
        self.proposals = proposals
        self.credentials = credentials
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        func list(_ field: String, _ r: inout TLSReader) throws(MLSCodecError) -> [UInt16] {
            try r.vector(field) { (r: inout TLSReader) throws(MLSCodecError) in try r.u16(field) }
        }
        versions = try list("Capabilities.versions", &r)
        cipherSuites = try list("Capabilities.cipher_suites", &r)
        extensions = try list("Capabilities.extensions", &r)
        proposals = try list("Capabilities.proposals", &r)
        credentials = try list("Capabilities.credentials", &r)
    }

    package func encode(to w: inout TLSWriter) {
        for list in [versions, cipherSuites, extensions, proposals, credentials] {
            w.vector { w in list.forEach { w.u16($0) } }
        }
    }
}

/// Validity period of a key package, in seconds since the Unix epoch.
package struct Lifetime: MLSCodable, Equatable {
    package var notBefore: UInt64
    package var notAfter: UInt64

    package init(notBefore: UInt64, notAfter: UInt64) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        notBefore = try r.u64("Lifetime.not_before")
        notAfter = try r.u64("Lifetime.not_after")
    }

    package func encode(to w: inout TLSWriter) {
        w.u64(notBefore)
        w.u64(notAfter)
    }
}
