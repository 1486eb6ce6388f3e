/// Frame counts and send-time deviation of one lane, as Lavalink reports them.
///
/// - sent: frames handed to the sink (silence frames included);
/// - nulled: ticks with nothing to send (empty ring, or a sink that could not deliver);
/// - deficit: ticks handled a whole frame (20 ms) or more after their slot, plus ticks skipped
///   to re-base after the pacer fell behind.
///
/// Deviation is kept in a fixed histogram of 10 µs buckets up to 100 ms, so recording never
/// allocates.
public struct PacingStats: Sendable {
    public var sent = 0
    public var nulled = 0
    public var deficit = 0
    private var buckets = [UInt32](repeating: 0, count: Self.bucketCount)
    private var samples = 0
    public private(set) var maxDeviationNanoseconds: UInt64 = 0

    static let bucketNanoseconds: UInt64 = 10_000
    static let bucketCount = 10_000

    public init() {}

    mutating func recordDeviation(_ nanoseconds: UInt64) {
        let index = min(Int(nanoseconds / Self.bucketNanoseconds), Self.bucketCount - 1)
        buckets[index] &+= 1
        samples += 1
        if nanoseconds > maxDeviationNanoseconds { maxDeviationNanoseconds = nanoseconds }
    }

    /// The deviation (ms) under which `percentile` % of frames were sent; bucket upper bound.
    public func deviationMilliseconds(atPercentile percentile: Double) -> Double {
        guard samples > 0 else { return 0 }
        let target = max(1, Int((Double(samples) * percentile / 100).rounded(.up)))
        var seen = 0
        for (index, count) in buckets.enumerated() {
            seen += Int(count)
            if seen >= target {
                let upper = Double(UInt64(index + 1) * Self.bucketNanoseconds) / 1e6
                return min(upper, maxDeviationMilliseconds)
            }
        }
        return maxDeviationMilliseconds
    }

    public var maxDeviationMilliseconds: Double { Double(maxDeviationNanoseconds) / 1e6 }
    public var deviationSamples: Int { samples }
}

extension PacingStats {
    /// Adds another lane's figures, so a run of several tracks reports one total.
    public mutating func merge(_ other: PacingStats) {
        sent += other.sent
        nulled += other.nulled
        deficit += other.deficit
        for index in buckets.indices { buckets[index] &+= other.buckets[index] }
        samples += other.samples
        maxDeviationNanoseconds = max(maxDeviationNanoseconds, other.maxDeviationNanoseconds)
    }
}
