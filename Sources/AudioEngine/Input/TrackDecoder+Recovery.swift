import Foundation

/// Mid-track recovery: a network source that drops, stalls, expires or turns corrupt is
/// reopened at the next position the ring is owed, while the pacer keeps playing what is
/// buffered. Local files are not retried: their errors are final.
extension TrackDecoder {
    /// At most this many restarts within `restartWindow`; one more fails the track.
    static let maxRestarts = 3
    static let restartWindow: UInt64 = 30_000_000_000

    /// Reopens the source after `error`, or rethrows when recovery is not possible or has
    /// failed too often.
    func recover(from error: EngineError) throws(EngineError) -> MediaInput {
        var error = error
        while true {
            guard Self.isRecoverable(error, network: source.isNetwork) else { throw error }
            let now = MonotonicClock.nanoseconds()
            restarts.removeAll { now - $0 > Self.restartWindow }
            guard restarts.count < Self.maxRestarts else { throw error }
            restarts.append(now)
            control.recoveries.add(1, ordering: .relaxed)
            napBeforeRestart(attempt: restarts.count)
            if control.isCancelled { throw error }
            do throws(EngineError) {
                if Self.needsNewLocation(error), let refresh = source.refresh {
                    source = try Self.wait(for: refresh, source: source.location)
                }
                let resumeAt = nextPositionMs
                resetCodecState()
                decoder = nil  // made afresh from the reopened stream's parameters
                _ = control.takeRestart()
                return try open(at: resumeAt)
            } catch let next {
                error = next
            }
        }
    }

    static func isRecoverable(_ error: EngineError, network: Bool) -> Bool {
        switch error {
        case .networkError, .truncated, .streamNotFound, .unsupportedFormat: network
        case .decoderFailed: true
        case .noAudioStream, .encoderFailed: false
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

    /// Short, growing pauses: a blip is retried at once, a flapping server is not hammered.
    private func napBeforeRestart(attempt: Int) {
        let milliseconds = attempt == 1 ? 0 : 150 * (1 << min(attempt - 2, 3))
        let jitter = Int.random(in: 0...50)
        var left = milliseconds + jitter
        while left > 0, !control.isCancelled {
            usleep(useconds_t(min(left, 10) * 1000))
            left -= 10
        }
    }

    /// Runs the async refresh from the decoder thread, which may block.
    private static func wait(for refresh: @escaping @Sendable () async throws -> TrackSource, source: String)
        throws(EngineError) -> TrackSource
    {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await refresh()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        switch box.result {
        case let .success(fresh)?: return fresh
        case let .failure(failure)?: throw .networkError(source: source, message: "re-resolution failed: \(failure)")
        case nil: throw .networkError(source: source, message: "re-resolution failed")
        }
    }
}

private final class ResultBox: @unchecked Sendable {
    var result: Result<TrackSource, any Error>?
}
