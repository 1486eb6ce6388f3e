import CFFmpeg

/// Brings a decoded frame to 32-bit float planar at its own rate and layout, so the resampler
/// after it sees one sample format whatever the codec (WAV's s16, FLAC's s32, MP3's fltp) and
/// can go on from one track into the next of the same rate. Changing only the format keeps no
/// state between calls (no filter runs), so a fresh conversion per codec loses nothing. The
/// planes grow with the largest frame seen and are then reused: no allocation per frame.
final class PlanarConversion {
    static let maxChannels = 8
    private var context: OpaquePointer?
    private var format: Int32 = -1
    private var rate: Int32 = 0
    private var layout = AVChannelLayout()
    private var capacity = 0
    private let planes: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>
    private let inputs: UnsafeMutablePointer<UnsafePointer<UInt8>?>

    init() {
        planes = .allocate(capacity: Self.maxChannels)
        planes.initialize(repeating: nil, count: Self.maxChannels)
        inputs = .allocate(capacity: Self.maxChannels)
        inputs.initialize(repeating: nil, count: Self.maxChannels)
    }

    deinit {
        swr_free(&context)
        av_channel_layout_uninit(&layout)
        for index in 0..<Self.maxChannels { planes[index]?.deallocate() }
        planes.deallocate()
        inputs.deallocate()
    }

    /// `frame`'s samples as float planes (its own, when they are float planar already), for
    /// `swr_convert`'s input. `frameLayout` is the layout the resampler was set up with.
    func planes(
        of frame: UnsafeMutablePointer<AVFrame>, layout frameLayout: inout AVChannelLayout
    ) throws(EngineError) -> UnsafeMutablePointer<UnsafePointer<UInt8>?> {
        let count = Int(frame.pointee.nb_samples)
        let channels = Int(min(Int32(Self.maxChannels), frameLayout.nb_channels))
        if frame.pointee.format == AV_SAMPLE_FMT_FLTP.rawValue {
            for index in 0..<channels { inputs[index] = UnsafePointer(frame.pointee.extended_data[index]) }
            return inputs
        }
        try configure(format: frame.pointee.format, rate: frame.pointee.sample_rate, layout: &frameLayout)
        if count > capacity {
            for index in 0..<Self.maxChannels {
                planes[index]?.deallocate()
                planes[index] = .allocate(capacity: count)
            }
            capacity = count
        }
        let converted = planes.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: Self.maxChannels) { out in
            frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: Self.maxChannels) { input in
                swr_convert(context, out, Int32(capacity), input, Int32(count))
            }
        }
        guard converted == count else {
            throw .encoderFailed(
                message: "sample format conversion: \(converted < 0 ? avErrorString(converted) : "\(converted) of \(count)")")
        }
        for index in 0..<channels { inputs[index] = UnsafeRawPointer(planes[index]).map { $0.assumingMemoryBound(to: UInt8.self) } }
        return inputs
    }

    private func configure(format: Int32, rate: Int32, layout frameLayout: inout AVChannelLayout) throws(EngineError) {
        if context != nil, format == self.format, rate == self.rate, av_channel_layout_compare(&frameLayout, &layout) == 0 { return }
        swr_free(&context)
        av_channel_layout_uninit(&layout)
        av_channel_layout_copy(&layout, &frameLayout)
        self.format = format
        self.rate = rate
        var input = AVChannelLayout()
        av_channel_layout_copy(&input, &layout)
        defer { av_channel_layout_uninit(&input) }
        let status = swr_alloc_set_opts2(
            &context, &layout, AV_SAMPLE_FMT_FLTP, rate, &input, AVSampleFormat(rawValue: format), rate, 0, nil)
        guard status >= 0, swr_init(context) >= 0 else {
            swr_free(&context)
            throw .encoderFailed(message: "cannot convert sample format \(format) at \(rate) Hz")
        }
    }
}
