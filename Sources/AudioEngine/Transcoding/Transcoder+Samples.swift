import CFFmpeg

/// The transcoder's decoded samples on their way into `pending`: the resampler's set-up and
/// the trim after a seek.
extension Transcoder {
    /// After a seek, the number of samples of `frame` (at 48 kHz) that lie before the target.
    func trimCount(_ frame: UnsafeMutablePointer<AVFrame>) -> Int {
        let stamp =
            frame.pointee.best_effort_timestamp == cadence_av_nopts_value()
            ? nil
            : av_rescale_q(frame.pointee.best_effort_timestamp, timeBase, AVRational(num: 1, den: 48_000))
        if timelineOffset == nil {
            // Played from the very start: codecs that drop priming samples stamp the first
            // frame a little after 0, while positions count from the first sample heard.
            timelineOffset = max(0, stamp ?? 0)
        }
        guard let trim = trimBefore else { return 0 }
        trimBefore = nil
        guard let stamp, case let start = stamp - (timelineOffset ?? 0), start < trim else { return 0 }
        let samples = Int(trim - start)
        let available = Int(frame.pointee.nb_samples) * 48_000 / Int(max(1, frame.pointee.sample_rate))
        if samples > available {
            trimBefore = trim
            return Int.max
        }
        return samples
    }

    /// `source`, or the default layout for its channel count when the codec left it unspecified.
    static func definedLayout(_ source: inout AVChannelLayout) -> AVChannelLayout {
        var layout = AVChannelLayout()
        if source.order == AV_CHANNEL_ORDER_UNSPEC || source.nb_channels == 0 {
            _ = cadence_default_layout(&layout, max(1, source.nb_channels))
        } else {
            av_channel_layout_copy(&layout, &source)
        }
        return layout
    }

    /// Whether the open resampler takes samples at `rate` in `source`'s layout. It is keyed by
    /// rate and layout only: `PlanarConversion` gives it float planar from any codec.
    func resamplerFits(rate: Int32, layout source: inout AVChannelLayout) -> Bool {
        guard resampler != nil, rate == resamplerRate else { return false }
        var layout = Self.definedLayout(&source)
        defer { av_channel_layout_uninit(&layout) }
        return av_channel_layout_compare(&layout, &resamplerLayout) == 0
    }

    func configureResampler(for frame: UnsafeMutablePointer<AVFrame>) throws(EngineError) {
        if resamplerFits(rate: frame.pointee.sample_rate, layout: &frame.pointee.ch_layout) { return }
        // The format changed under an open resampler: what it still holds is audio too.
        drainResampler()
        av_channel_layout_uninit(&resamplerLayout)
        resamplerLayout = Self.definedLayout(&frame.pointee.ch_layout)
        resamplerRate = frame.pointee.sample_rate
        var stereo = cadence_stereo_layout()
        let status = swr_alloc_set_opts2(
            &resampler, &stereo, AV_SAMPLE_FMT_FLT, 48_000, &resamplerLayout, AV_SAMPLE_FMT_FLTP, resamplerRate, 0, nil)
        guard status >= 0, swr_init(resampler) >= 0 else {
            swr_free(&resampler)
            throw .encoderFailed(message: "cannot convert \(resamplerLayout.nb_channels) channels at \(resamplerRate) Hz")
        }
    }
}
