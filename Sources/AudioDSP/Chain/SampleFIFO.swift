/// A fixed-capacity FIFO of interleaved stereo frames (one thread; allocated once).
struct SampleFIFO: ~Copyable {
    let capacityFrames: Int
    private let storage: UnsafeMutablePointer<Float>
    private var head = 0  // first frame to read
    private(set) var count = 0

    init(capacityFrames: Int) {
        self.capacityFrames = capacityFrames
        storage = .allocate(capacity: capacityFrames * 2)
        storage.initialize(repeating: 0, count: capacityFrames * 2)
    }

    deinit { storage.deallocate() }

    var freeFrames: Int { capacityFrames - count }

    /// Appends as many of `frames` as fit; returns how many were taken.
    @discardableResult
    mutating func write(_ samples: UnsafePointer<Float>, frames: Int) -> Int {
        let frames = min(frames, freeFrames)
        var done = 0
        while done < frames {
            let tail = (head + count) % capacityFrames
            let run = min(frames - done, capacityFrames - tail)
            (storage + tail * 2).update(from: samples + done * 2, count: run * 2)
            count += run
            done += run
        }
        return frames
    }

    /// Takes up to `maxFrames` frames into `output`; returns how many.
    mutating func read(into output: UnsafeMutablePointer<Float>, maxFrames: Int) -> Int {
        let frames = min(maxFrames, count)
        var done = 0
        while done < frames {
            let run = min(frames - done, capacityFrames - head)
            (output + done * 2).update(from: storage + head * 2, count: run * 2)
            head = (head + run) % capacityFrames
            count -= run
            done += run
        }
        return frames
    }

    mutating func removeAll() {
        head = 0
        count = 0
    }
}
