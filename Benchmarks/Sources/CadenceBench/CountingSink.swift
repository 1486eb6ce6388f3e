import AudioEngine
import CMallocCount
import Foundation
import Synchronization

/// A `FrameSink` that measures the audio path from the pacer's seat: it forwards each frame to
/// `inner` (if any) and, for the frames in `window`, counts the heap allocations the pacer
/// thread made in the whole tick (from one frame to the next) and inside `inner.send`, the
/// allocations of the whole process, and the process CPU. Reading the counters allocates
/// nothing, so the measurement does not disturb what it measures.
final class CountingSink: FrameSink {
    struct Figures: Sendable {
        var frames = 0
        /// Allocations of the pacer thread across the window's ticks, and inside the inner sink.
        var pacerThread = 0
        var insideSend = 0
        /// Allocations of every thread across the window, and those of them libav's allocator made.
        var process = 0
        var libav = 0
        /// Process CPU seconds across the window.
        var cpuSeconds = 0.0
    }

    private struct State {
        var sent = 0
        var lastThreadCount: UInt = 0
        var processAtStart: UInt = 0
        var libavAtStart: UInt = 0
        var cpuAtStart = 0.0
        var figures = Figures()
    }

    let inner: (any FrameSink)?
    let window: Range<Int>
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    /// BENCH_ALLOC_TRACE=1: print where the window's allocations outside libav come from. Read
    /// in `init`: reading the environment allocates, which must not happen on the pacer thread.
    private let tracing = ProcessInfo.processInfo.environment["BENCH_ALLOC_TRACE"] == "1"

    init(inner: (any FrameSink)? = nil, window: Range<Int>) {
        _ = cadence_mallocs_attribute_libav()
        self.inner = inner
        self.window = window
    }

    var isReady: Bool { inner?.isReady ?? true }
    func setSpeaking(_ speaking: Bool) { inner?.setSpeaking(speaking) }

    func send(opus: UnsafeRawBufferPointer) {
        let tickStart = UInt(cadence_mallocs_this_thread())
        let index = state.withLock { state -> Int in
            defer { state.sent += 1 }
            if state.sent == window.lowerBound {
                state.processAtStart = UInt(cadence_mallocs_total())
                state.libavAtStart = UInt(cadence_mallocs_libav())
                if tracing { cadence_mallocs_trace(1) }
                state.cpuAtStart = Self.processCPU()
            } else if window.contains(state.sent) {
                state.figures.pacerThread += Int(tickStart - state.lastThreadCount)
            }
            return state.sent
        }
        inner?.send(opus: opus)
        let tickEnd = UInt(cadence_mallocs_this_thread())
        let finished = state.withLock { state -> Bool in
            state.lastThreadCount = tickEnd
            if window.contains(index) {
                state.figures.insideSend += Int(tickEnd - tickStart)
                state.figures.frames += 1
            }
            guard index == window.upperBound - 1 else { return false }
            state.figures.process = Int(UInt(cadence_mallocs_total()) - state.processAtStart)
            state.figures.libav = Int(UInt(cadence_mallocs_libav()) - state.libavAtStart)
            if tracing {
                cadence_mallocs_trace(0)
                cadence_mallocs_print_trace()
            }
            state.figures.cpuSeconds = Self.processCPU() - state.cpuAtStart
            return true
        }
        if finished { done.signal() }
    }

    /// Blocks until the window has passed (or `timeout` seconds), then gives its figures.
    func figures(timeout: Double) -> Figures? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return state.withLock { $0.figures }
    }

    private static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
