import Testing

@testable import CadenceBot

/// `/queue`'s pages are the queue's own arithmetic; the guild player only forwards them, so
/// they are checked on the value itself, without resolving two dozen songs.
@Suite struct TrackQueuePagingTests {
    @Test func theQueueIsListedInPagesOfTen() {
        var queue = TrackQueue()
        for index in 1...23 { queue.add(QueueEntry(input: "song-\(index)", title: "Song \(index)", requester: "u1")) }
        let second = queue.page(2)
        #expect(second.pageCount == 3)
        #expect(second.total == 23)
        #expect(second.items.first?.position == 11)
        #expect(second.items.first?.entry.input == "song-11")
        #expect(queue.page(99).number == 3)
        #expect(queue.page(3).items.count == 3)
        #expect(queue.page(0).number == 1)
        #expect(TrackQueue().page(1).items.isEmpty && TrackQueue().page(1).pageCount == 1)
    }
}
