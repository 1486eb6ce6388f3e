/// The dry samples (48 kHz stereo float, before any filter) that the transcoder has already
/// taken from its pending buffer, by stream sample index, for as long as their frames may still
/// wait in the ring.
///
/// It is what lets a filter change be heard at once: the frames the pacer has not sent are made
/// again from these samples under the new settings (see `Transcoder+Filters`). A fixed circular
/// buffer, allocated once; only the decoder thread touches it.
final class DryRetention {
    let capacity: Int
    private let storage: UnsafeMutablePointer<Float>
    /// The oldest sample kept, and one past the newest.
    private(set) var start: Int64 = 0
    private(set) var end: Int64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity * 2)
        storage.initialize(repeating: 0, count: capacity * 2)
    }

    deinit { storage.deallocate() }

    /// Forgets everything; the next sample appended is `index` (after a seek).
    func reset(at index: Int64) {
        start = index
        end = index
    }

    /// Appends `frames` stereo frames after `end`; the oldest fall out beyond `capacity`.
    func append(_ samples: UnsafePointer<Float>, frames: Int) {
        var done = 0
        while done < frames {
            let slot = Int(end % Int64(capacity))
            let run = min(frames - done, capacity - slot)
            (storage + slot * 2).update(from: samples + done * 2, count: run * 2)
            end += Int64(run)
            done += run
        }
        start = max(start, end - Int64(capacity))
    }

    /// Copies the kept frames `index..<index + frames` into `output`.
    func copy(from index: Int64, frames: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(index >= start && index + Int64(frames) <= end, "DryRetention: samples not kept")
        var done = 0
        while done < frames {
            let slot = Int((index + Int64(done)) % Int64(capacity))
            let run = min(frames - done, capacity - slot)
            (output + done * 2).update(from: storage + slot * 2, count: run * 2)
            done += run
        }
    }
}
