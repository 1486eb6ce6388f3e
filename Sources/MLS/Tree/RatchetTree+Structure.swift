extension RatchetTree {
    /// RFC 9420 §4.1.1 resolution of a node, as node indices.
    package func resolution(_ x: Int) -> [Int] {
        guard x >= 0, x < nodes.count else { return [] }
        switch nodes[x] {
        case .leaf: return [x]
        case .parent(let p): return [x] + p.unmergedLeaves.map { Int($0) * 2 }
        case nil:
            guard let l = TreeMath.left(x), let r = TreeMath.right(x) else { return [] }
            return resolution(l) + resolution(r)
        }
    }

    /// The direct path of a leaf with parents whose copath child has an empty resolution removed.
    package func filteredDirectPath(leaf: Int) -> [Int] {
        let n = leafCount
        var result: [Int] = []
        var child = 2 * leaf
        while let parent = TreeMath.parent(child, leaves: n) {
            if let sibling = TreeMath.sibling(child, leaves: n), !resolution(sibling).isEmpty { result.append(parent) }
            child = parent
        }
        return result
    }

    /// The child of `parent` that is not on the path towards `leafNode`.
    func copathChild(of parent: Int, toward leafNode: Int) -> Int? {
        guard let l = TreeMath.left(parent), let r = TreeMath.right(parent) else { return nil }
        return TreeMath.isInSubtree(leafNode, of: l) ? r : l
    }

    /// Blanks the leaf's direct path (the leaf itself is untouched).
    mutating func blankDirectPath(leaf: Int) {
        for p in TreeMath.directPath(2 * leaf, leaves: leafCount) { setNode(p, nil) }
    }

    /// Adds a leaf in the leftmost blank slot, doubling the tree if full; returns its leaf index.
    /// The new leaf is recorded as unmerged at every non-blank parent above it.
    @discardableResult
    package mutating func add(_ leafNode: LeafNode) -> Int {
        var index = (0..<leafCount).first { nodes[2 * $0] == nil }
        if index == nil {
            index = leafCount
            if nodes.isEmpty {
                index = 0
                nodes = [nil]
            } else {
                nodes.append(contentsOf: [Node?](repeating: nil, count: nodes.count + 1))
            }
        }
        let leafIndex = index ?? 0
        setNode(2 * leafIndex, .leaf(leafNode))
        for p in TreeMath.directPath(2 * leafIndex, leaves: leafCount) {
            if case .parent(var parent) = nodes[p] {
                parent.unmergedLeaves.append(UInt32(leafIndex))
                setNode(p, .parent(parent))
            }
        }
        return leafIndex
    }

    /// Blanks a leaf and its direct path, then truncates trailing empty halves.
    package mutating func remove(leaf: Int) {
        setNode(2 * leaf, nil)
        blankDirectPath(leaf: leaf)
        truncate()
    }

    /// Replaces a leaf (Update proposal) and blanks its direct path.
    package mutating func update(leaf: Int, with leafNode: LeafNode) {
        setNode(2 * leaf, .leaf(leafNode))
        blankDirectPath(leaf: leaf)
    }

    /// Removes the right half of the tree while it holds no leaf, keeping at least one leaf.
    mutating func truncate() {
        while leafCount > 1 {
            let half = leafCount / 2
            guard (half..<leafCount).allSatisfy({ nodes[2 * $0] == nil }) else { return }
            nodes.removeLast(nodes.count - TreeMath.nodeWidth(leaves: half))
        }
    }

    /// Leaf index holding a leaf node equal to `leafNode`, if any.
    package func index(of leafNode: LeafNode) -> Int? {
        (0..<leafCount).first { leaf($0) == leafNode }
    }
}
