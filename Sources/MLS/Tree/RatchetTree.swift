/// A non-leaf ratchet tree node.
package struct ParentNode: MLSCodable, Equatable {
    package var encryptionKey: [UInt8]
    package var parentHash: [UInt8]
    /// Leaf indices (not node indices) added below this node since it was last set.
    package var unmergedLeaves: [UInt32]

    package init(encryptionKey: [UInt8], parentHash: [UInt8], unmergedLeaves: [UInt32]) {
        self.encryptionKey = encryptionKey
        self.parentHash = parentHash
        self.unmergedLeaves = unmergedLeaves
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        encryptionKey = try r.opaque("ParentNode.encryption_key")
        parentHash = try r.opaque("ParentNode.parent_hash")
        unmergedLeaves = try r.vector("ParentNode.unmerged_leaves") { (r: inout TLSReader) throws(MLSCodecError) in
            try r.u32("unmerged_leaf")
        }
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(encryptionKey)
        w.opaque(parentHash)
        w.vector { w in unmergedLeaves.forEach { w.u32($0) } }
    }
}

/// A ratchet tree node: a leaf or a parent.
package enum Node: MLSCodable, Equatable {
    case leaf(LeafNode)
    case parent(ParentNode)

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u8("Node.node_type")
        switch type {
        case 1: self = .leaf(try r.decode())
        case 2: self = .parent(try r.decode())
        default: throw .unknownValue(field: "Node.node_type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        switch self {
        case .leaf(let leaf):
            w.u8(1)
            leaf.encode(to: &w)
        case .parent(let parent):
            w.u8(2)
            parent.encode(to: &w)
        }
    }

    package var encryptionKey: [UInt8] {
        switch self {
        case .leaf(let l): l.encryptionKey
        case .parent(let p): p.encryptionKey
        }
    }
}

/// The public ratchet tree: a complete binary tree in array form with blank (`nil`) nodes.
///
/// Guarantees: the node count is always `2 * leafCount - 1` with `leafCount` a power of two,
/// even indices hold only leaves and odd indices only parents.
package struct RatchetTree: Equatable, Sendable {
    package internal(set) var nodes: [Node?]

    package init() { nodes = [] }

    /// A one-member tree.
    package init(firstLeaf: LeafNode) { nodes = [.leaf(firstLeaf)] }

    /// Decodes the `ratchet_tree` extension form (`optional<Node> ratchet_tree<V>`), padding the
    /// truncated array back to a complete tree.
    package init(decoding bytes: [UInt8]) throws(MLSError) {
        let entries = try MLSError.decode { () throws(MLSCodecError) in
            var r = TLSReader(bytes)
            let list = try r.vector("ratchet_tree") { (r: inout TLSReader) throws(MLSCodecError) -> Node? in
                try r.optional("ratchet_tree.node")
            }
            try r.finish("ratchet_tree")
            return list
        }
        guard let last = entries.last, last != nil else {
            throw .invalid(.treeShape, "ratchet tree is empty or ends in a blank node")
        }
        var leaves = 1
        while TreeMath.nodeWidth(leaves: leaves) < entries.count { leaves *= 2 }
        guard leaves <= 1 << 24 else { throw .invalid(.treeShape, "tree too large") }
        var padded = entries
        padded.append(contentsOf: [Node?](repeating: nil, count: TreeMath.nodeWidth(leaves: leaves) - entries.count))
        for (i, node) in padded.enumerated() {
            switch node {
            case .leaf where i % 2 == 1: throw .invalid(.treeShape, "leaf at parent position \(i)")
            case .parent where i % 2 == 0: throw .invalid(.treeShape, "parent at leaf position \(i)")
            default: break
            }
        }
        nodes = padded
    }

    /// The `ratchet_tree` extension encoding, with trailing blank nodes removed.
    package var encoded: [UInt8] {
        var end = nodes.count
        while end > 0 && nodes[end - 1] == nil { end -= 1 }
        var w = TLSWriter()
        w.vector { w in
            for node in nodes[0..<end] {
                if let node {
                    w.u8(1)
                    node.encode(to: &w)
                } else {
                    w.u8(0)
                }
            }
        }
        return w.bytes
    }

    package var leafCount: Int { (nodes.count + 1) / 2 }
    package var root: Int { TreeMath.root(leaves: leafCount) }

    package func leaf(_ index: Int) -> LeafNode? {
        guard index >= 0, 2 * index < nodes.count, case .leaf(let leaf) = nodes[2 * index] else { return nil }
        return leaf
    }

    package func parentNode(_ node: Int) -> ParentNode? {
        guard node >= 0, node < nodes.count, case .parent(let parent) = nodes[node] else { return nil }
        return parent
    }

    package func node(_ index: Int) -> Node? { index >= 0 && index < nodes.count ? nodes[index] : nil }

    mutating func setNode(_ index: Int, _ node: Node?) { nodes[index] = node }

    /// Indices of non-blank leaves.
    package var occupiedLeaves: [Int] { (0..<leafCount).filter { leaf($0) != nil } }
}
