/// The RFC 9420 checks this library performs, named so a failure says exactly what was wrong.
public enum MLSCheck: String, Sendable, Equatable {
    case cipherSuite, protocolVersion, groupID, epoch, wireFormat
    case sender, senderIndex, contentType
    case signature, membershipTag, confirmationTag
    case treeHash, parentHash, treeShape, unmergedLeaves, resolution
    case leafNodeSource, leafNodeSignature, leafNodeKeys, leafNodeCapabilities, leafNodeLifetime, credential
    case keyPackage, keyPackageSignature, initKey
    case proposalReference, proposalList, pathRequired, updatePath, pathSecret
    case welcomeSecrets, groupInfo, groupInfoSignature, ownLeaf, extensions
    case presharedKey, externalSenders, pendingCommit, removedFromGroup
}

/// Every failure of this module: malformed bytes, crypto failures, or a named validation check.
public enum MLSError: Error, Equatable, Sendable {
    /// The bytes did not decode (see the wrapped codec error for the field).
    case decoding(MLSCodecError)
    /// Only cipher suite 2 is implemented.
    case unsupportedCipherSuite(UInt16)
    /// A key (named by `what`) could not be imported.
    case invalidKey(String)
    /// HPKE or AEAD decryption of `what` failed.
    case decryptionFailed(String)
    /// An RFC 9420 validation rule failed.
    case invalid(MLSCheck, String)
}

extension MLSError {
    static func decode<T>(_ body: () throws(MLSCodecError) -> T) throws(MLSError) -> T {
        do { return try body() } catch { throw .decoding(error) }
    }
}
