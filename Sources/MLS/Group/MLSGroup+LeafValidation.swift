import Foundation

extension MLSGroup {
    /// RFC 9420 §7.3 leaf node checks beyond the signature, for a leaf about to occupy `index`
    /// of `tree` (the leaf at `index` itself is ignored for uniqueness, so an update may keep its
    /// signature key). `extensions` are the group context extensions that will apply.
    static func validateLeaf(
        _ leaf: LeafNode, at index: Int?, in tree: RatchetTree, extensions: [Extension],
        now: UInt64 = UInt64(Date().timeIntervalSince1970)
    ) throws(MLSError) {
        let defaultExtensions: Set<UInt16> = [1, 2, 3, 4, 5]
        for ext in leaf.extensions where !defaultExtensions.contains(ext.type) && !leaf.capabilities.extensions.contains(ext.type) {
            throw .invalid(.leafNodeCapabilities, "leaf extension \(ext.type) not listed in its capabilities")
        }
        guard !leaf.extensions.hasDuplicateTypes else { throw .invalid(.extensions, "duplicate leaf extensions") }
        if let data = extensions.data(of: Extension.requiredCapabilities) {
            let required = try MLSError.decode { () throws(MLSCodecError) in try RequiredCapabilities(decoding: data) }
            let caps = leaf.capabilities
            let missingExtension = required.extensionTypes.contains { !defaultExtensions.contains($0) && !caps.extensions.contains($0) }
            let missingProposal = required.proposalTypes.contains { $0 > 7 && !caps.proposals.contains($0) }
            let missingCredential = required.credentialTypes.contains { !caps.credentials.contains($0) }
            if missingExtension || missingProposal || missingCredential {
                throw .invalid(.leafNodeCapabilities, "leaf lacks a required capability")
            }
        }
        guard leaf.capabilities.credentials.contains(leaf.credential.type) else {
            throw .invalid(.credential, "leaf does not list its own credential type")
        }
        if case .keyPackage(let lifetime) = leaf.source, lifetime.notBefore > now || lifetime.notAfter < now {
            throw .invalid(.leafNodeLifetime, "key package lifetime does not cover the current time")
        }
        for other in tree.occupiedLeaves where other != index {
            guard let member = tree.leaf(other) else { continue }
            if member.signatureKey == leaf.signatureKey { throw .invalid(.leafNodeKeys, "signature key already used by leaf \(other)") }
            if member.encryptionKey == leaf.encryptionKey { throw .invalid(.leafNodeKeys, "encryption key already used by leaf \(other)") }
            guard member.capabilities.credentials.contains(leaf.credential.type),
                leaf.capabilities.credentials.contains(member.credential.type)
            else { throw .invalid(.credential, "credential types not mutually supported with leaf \(other)") }
        }
    }
}
