/// An MLS extension: a type and opaque data. Unknown types are carried through unchanged.
package struct Extension: MLSCodable, Equatable {
    package var type: UInt16
    package var data: [UInt8]

    package static let applicationID: UInt16 = 1
    package static let ratchetTree: UInt16 = 2
    package static let requiredCapabilities: UInt16 = 3
    package static let externalPub: UInt16 = 4
    package static let externalSenders: UInt16 = 5

    package init(type: UInt16, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        type = try r.u16("Extension.extension_type")
        data = try r.opaque("Extension.extension_data")
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(type)
        w.opaque(data)
    }
}

extension Array where Element == Extension {
    /// The data of the first extension of `type`, if present.
    package func data(of type: UInt16) -> [UInt8]? { first { $0.type == type }?.data }

    var hasDuplicateTypes: Bool { Set(map(\.type)).count != count }
}

/// `ExternalSender`: a key allowed to sign proposals from outside the group (DAVE's voice server).
package struct ExternalSender: MLSCodable, Equatable {
    package var signatureKey: [UInt8]
    package var credential: Credential

    package init(signatureKey: [UInt8], credential: Credential) {
        self.signatureKey = signatureKey
        self.credential = credential
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        signatureKey = try r.opaque("ExternalSender.signature_key")
        credential = try r.decode()
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(signatureKey)
        credential.encode(to: &w)
    }
}

/// The `required_capabilities` extension body.
struct RequiredCapabilities: MLSCodable, Equatable {
    var extensionTypes: [UInt16]
    var proposalTypes: [UInt16]
    var credentialTypes: [UInt16]

    init(from r: inout TLSReader) throws(MLSCodecError) {
        extensionTypes = try r.vector("RequiredCapabilities.extension_types") { (r: inout TLSReader) throws(MLSCodecError) in
            try r.u16("extension_type")
        }
        proposalTypes = try r.vector("RequiredCapabilities.proposal_types") { (r: inout TLSReader) throws(MLSCodecError) in
            try r.u16("proposal_type")
        }
        credentialTypes = try r.vector("RequiredCapabilities.credential_types") { (r: inout TLSReader) throws(MLSCodecError) in
            try r.u16("credential_type")
        }
    }

    func encode(to w: inout TLSWriter) {
        w.vector { w in extensionTypes.forEach { w.u16($0) } }
        w.vector { w in proposalTypes.forEach { w.u16($0) } }
        w.vector { w in credentialTypes.forEach { w.u16($0) } }
    }
}
