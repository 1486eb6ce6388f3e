/// One queued track: what the user asked for, what we know about it so far, and who asked.
package struct QueueEntry: Sendable, Equatable {
    /// What was typed (a URL or search words); resolved again when its turn comes if needed.
    package var input: String
    package var title: String
    package var durationMs: Int64?
    /// Discord user id of the requester.
    package var requester: String

    package init(input: String, title: String, durationMs: Int64? = nil, requester: String) {
        self.input = input
        self.title = title
        self.durationMs = durationMs
        self.requester = requester
    }
}

/// What happens when a track ends.
package enum LoopMode: String, Sendable, CaseIterable {
    /// Play on through the queue, then stop.
    case off
    /// Repeat the current track.
    case track
    /// Put each finished track back at the end of the queue.
    case queue
}

/// The tracks waiting after the current one. A plain value: the guild player actor owns it,
/// so every operation here is synchronous and testable on its own.
package struct TrackQueue: Sendable, Equatable {
    package private(set) var entries: [QueueEntry] = []
    package var loop: LoopMode = .off

    package init(entries: [QueueEntry] = []) { self.entries = entries }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }

    /// Appends and returns the 1-based position in the queue.
    @discardableResult
    package mutating func add(_ entry: QueueEntry) -> Int {
        entries.append(entry)
        return entries.count
    }

    /// Removes the entry at 1-based `position`.
    package mutating func remove(at position: Int) throws(PlayerCommandError) -> QueueEntry {
        guard (1...max(1, entries.count)).contains(position), !entries.isEmpty else {
            throw .noSuchPosition(position, count: entries.count)
        }
        return entries.remove(at: position - 1)
    }

    package mutating func shuffle<G: RandomNumberGenerator>(using generator: inout G) {
        entries.shuffle(using: &generator)
    }

    package mutating func clear() { entries.removeAll() }

    /// Puts `entry` back at the front (the engine played another entry first).
    mutating func putBack(_ entry: QueueEntry) { entries.insert(entry, at: 0) }

    /// The entry to play after `finished` ended on its own, applying the loop mode.
    /// `skipped` means the user asked to move on, so a looping track does not repeat.
    package mutating func next(after finished: QueueEntry?, skipped: Bool) -> QueueEntry? {
        if let finished {
            switch loop {
            case .track where !skipped: return finished
            case .queue: entries.append(finished)
            default: break
            }
        }
        return entries.isEmpty ? nil : entries.removeFirst()
    }

    /// The upcoming entry, for prefetching.
    package var upcoming: QueueEntry? { entries.first }

    /// One page of the queue: entries with their 1-based positions.
    package func page(_ number: Int, size: Int = 10) -> QueuePage {
        let pages = max(1, (entries.count + size - 1) / size)
        let page = min(max(1, number), pages)
        let start = (page - 1) * size
        let slice = entries.indices.dropFirst(start).prefix(size).map { ($0 + 1, entries[$0]) }
        return QueuePage(
            number: page, pageCount: pages, total: entries.count,
            items: slice.map { QueuePage.Item(position: $0.0, entry: $0.1) })
    }
}

/// One page of `/queue`.
package struct QueuePage: Sendable, Equatable {
    package struct Item: Sendable, Equatable {
        package var position: Int
        package var entry: QueueEntry
    }

    package var number: Int
    package var pageCount: Int
    package var total: Int
    package var items: [Item]
}
