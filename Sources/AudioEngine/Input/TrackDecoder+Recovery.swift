import Foundation
import Synchronization

/// Mid-track recovery: a network source that drops, stalls, expires or turns corrupt is
/// reopened at the next position the ring is owed, while the pacer keeps playing what is
/// buffered. Local files are not retried: their errors are final.
extension TrackDecoder {
    /// At most this many restarts within `restartWindow`; one more fails the track.
    static let maxRestarts = 3
    static let restartWindow: UInt64 = 30_000_000_000

    /// Reopens the source after `error`, or rethrows when recovery is not possible or has
    /// failed too often.
    func recover(from error: EngineError, previous: MediaInput) throws(EngineError) -> MediaInput {
        var error = error
        while true {
            guard Self.isRecoverable(error, network: source.isNetwork) else { throw error }
            let now = MonotonicClock.nanoseconds()
            restarts.removeAll { now - $0 > Self.restartWindow }
            guard restarts.count < Self.maxRestarts else { throw error }
            // Restarts spaced wider than the window (a stall noticed every 10 s) must still
            // end: a restart after which not one frame came counts as fruitless.
            fruitlessRestarts = nextPositionMs > positionAtLastRestart ? 0 : fruitlessRestarts + 1
            positionAtLastRestart = nextPositionMs
            guard fruitlessRestarts < Self.maxRestarts else { throw error }
            restarts.append(now)
            control.recoveries.add(1, ordering: .relaxed)
            napBeforeRestart(attempt: restarts.count)
            if control.isCancelled { throw error }
            do throws(EngineError) {
                if Self.needsNewLocation(error), let refresh = source.refresh {
                    source = try Self.wait(for: refresh, source: source.location, control: control)
                }
                // The codecs are made afresh from the reopened stream's parameters; what the
                // old ones left unframed is decoded again from the exact sample.
                resumeSample = transcoder.discardTrackPending()
                _ = control.takeRestart()
                return try open(at: resumeSample / 48, previous: previous)
            } catch let next {
                error = next
            }
        }
    }

    static func isRecoverable(_ error: EngineError, network: Bool) -> Bool {
        switch error {
        case .networkError, .truncated, .streamNotFound, .unsupportedFormat, .stalled: network
        case .decoderFailed: true
        case .noAudioStream, .encoderFailed, .refusedLocation: false
        }
    }

    /// An expired or revoked URL answers 403, 410 or 404: ask the resolver for a new one.
    static func needsNewLocation(_ error: EngineError) -> Bool {
        switch error {
        case let .networkError(_, message): message.contains("403") || message.contains("410") || message.contains("4XX")
        case .streamNotFound: true
        default: false
        }
    }

    /// A blip is retried at once; later attempts wait 1 s, then 3 s, so an outage of a few
    /// seconds (a Wi-Fi hand-over, a CDN failing over) is ridden out on the buffered audio
    /// instead of spending all three attempts in the first half second.
    private func napBeforeRestart(attempt: Int) {
        let milliseconds = [0, 1_000, 3_000][min(attempt, 3) - 1]
        let jitter = Int.random(in: 0...50)
        var left = milliseconds + jitter
        while left > 0, !control.isCancelled {
            usleep(useconds_t(min(left, 10) * 1000))
            left -= 10
        }
    }

    /// How long a re-resolution may take before the restart counts as failed (yt-dlp's own
    /// limit is 15 s).
    static let refreshTimeoutSeconds = 20.0

    /// Runs the async refresh from the decoder thread, which may block. The wait ends on a
    /// stop or after `refreshTimeoutSeconds`, so a refresh that never runs (a starved
    /// cooperative pool) or never answers cannot leave the decoder thread stuck.
    private static func wait(
        for refresh: @escaping @Sendable () async throws -> TrackSource, source: String,
        control: TrackControl
    ) throws(EngineError) -> TrackSource {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do { box.set(.success(try await refresh())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(refreshTimeoutSeconds)
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if control.isCancelled || Date() > deadline {
                task.cancel()
                let why = control.isCancelled ? "stopped" : "no answer in \(Int(refreshTimeoutSeconds)) s"
                throw .networkError(source: source, message: "re-resolution failed: \(why)")
            }
        }
        switch box.result {
        case let .success(fresh)?: return fresh
        case let .failure(failure)?: throw .networkError(source: source, message: "re-resolution failed: \(failure)")
        case nil: throw .networkError(source: source, message: "re-resolution failed")
        }
    }
}

/// The refresh's outcome, handed from its task to the decoder thread.
private final class ResultBox: Sendable {
    private let value = Mutex<Result<TrackSource, any Error>?>(nil)
    func set(_ result: Result<TrackSource, any Error>) { value.withLock { $0 = result } }
    var result: Result<TrackSource, any Error>? { value.withLock { $0 } }
}
