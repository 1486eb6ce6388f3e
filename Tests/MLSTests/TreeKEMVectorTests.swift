import CadenceTestSupport
import MLS
import Testing

@Suite("TreeKEM vector tests")
struct TreeKEMVectorTests {
    /// Private state of every leaf in the vector, checked against the public tree.
    private func privateStates(_ v: Vector, tree: RatchetTree, suite: CipherSuite) throws -> [Int: (TreePrivateKeys, [UInt8])] {
        var states: [Int: (TreePrivateKeys, [UInt8])] = [:]
        for leaf in try v.list("leaves_private") {
            let index = try leaf.int("index")
            let leafKey = try HPKEKeyPair(privateKey: try leaf.hex("encryption_priv"))
            #expect(tree.leaf(index)?.encryptionKey == leafKey.publicKey, "leaf \(index) encryption key")
            var keys = TreePrivateKeys(leafIndex: index, leafKey: leafKey)
            for entry in try leaf.list("path_secrets") {
                let node = try entry.int("node")
                let pair = try suite.deriveKeyPair(ikm: suite.deriveSecret(try entry.hex("path_secret"), label: "node"))
                #expect(tree.node(node)?.encryptionKey == pair.publicKey, "leaf \(index) key at node \(node)")
                keys.set(node: node, key: pair)
            }
            states[index] = (keys, try leaf.hex("signature_priv"))
        }
        return states
    }

    @Test("treekem.json: process every UpdatePath, then create and process a fresh one", SharedData.required)
    func treeKEM() throws {
        let suite = CipherSuite.p256
        try Vectors.forSuite2("treekem") { v, index in
            let tree = try RatchetTree(decoding: try v.hex("ratchet_tree"))
            let groupID = try v.hex("group_id"), epoch = try v.uint64("epoch")
            let transcript = try v.hex("confirmed_transcript_hash")
            func context(_ treeHash: [UInt8]) -> GroupContext {
                GroupContext(
                    cipherSuite: 2, groupID: groupID, epoch: epoch, treeHash: treeHash,
                    confirmedTranscriptHash: transcript, extensions: [])
            }
            let states = try privateStates(v, tree: tree, suite: suite)
            for update in try v.list("update_paths") {
                let sender = try update.int("sender")
                let path = try UpdatePath(decoding: try update.hex("update_path"))
                var after = tree
                try after.merge(path: path, sender: sender, suite: suite, groupID: groupID)
                let newContext = context(after.treeHash(suite: suite))
                #expect(newContext.treeHash == (try update.hex("tree_hash_after")), "case \(index) tree hash after")
                let expected = update.object["path_secrets"] as? [Any] ?? []
                for (leaf, state) in states where leaf != sender {
                    var keys = state.0
                    let result = try after.decrypt(
                        path: path, sender: sender, suite: suite, excluding: [], context: newContext, keys: &keys)
                    #expect(result.pathSecret.hex == (expected[leaf] as? String), "case \(index) leaf \(leaf) path secret")
                    #expect(result.commitSecret == (try update.hex("commit_secret")), "case \(index) commit secret")
                }

                guard let senderLeaf = tree.leaf(sender), let senderState = states[sender] else { continue }
                var fresh = tree
                let created = try fresh.createUpdatePath(
                    suite: suite, sender: sender, leaf: senderLeaf, signatureKey: senderState.1, groupID: groupID,
                    excluding: [], pathSecret: (0..<32).map { _ in UInt8.random(in: 0...255) }, context: context)
                try fresh.verifyParentHashes(suite: suite)
                var check = tree
                try check.merge(path: created.path, sender: sender, suite: suite, groupID: groupID)
                #expect(check == fresh, "case \(index) merged fresh path differs from creator's tree")
                let freshContext = context(fresh.treeHash(suite: suite))
                for (leaf, state) in states where leaf != sender {
                    var keys = state.0
                    let result = try fresh.decrypt(
                        path: created.path, sender: sender, suite: suite, excluding: [],
                        context: freshContext, keys: &keys)
                    #expect(result.commitSecret == created.commitSecret, "case \(index) fresh commit secret at leaf \(leaf)")
                }
            }
        }
    }
}
