/// Lavalink's ten filters on 48 kHz interleaved stereo Float32, in lavaplayer's order:
/// lowPass → channelMix → rotation → distortion → vibrato → tremolo → timescale → karaoke →
/// equalizer → volume.
///
/// Push source audio with ``process(_:frameCount:)``, pull the result with
/// ``read(into:maxFrames:)``. The first six filters run on the push, the last three on the pull,
/// and timescale sits between them (SoundTouch), so under timescale the number of frames that
/// come out differs from what went in (``timeRatio`` converts).
///
/// **Changes.** ``update(_:)`` takes effect at the next ``process(_:frameCount:)``; every gain
/// and parameter glides over ``rampFrames`` (20 ms), and a filter switched on or off
/// cross-fades dry and wet, so no change clicks. Switching timescale itself on or off fades
/// the output to silence and back (20 ms each way) exactly at the hand-over between the direct
/// path and SoundTouch; the audio buffered in one path moves to (or plays out of) the other, so
/// nothing is dropped or repeated.
///
/// **Threads.** A chain belongs to one thread (the decoder's); nothing in it locks. After
/// ``init(sampleRate:capacityFrames:)`` the push, pull and ramp paths allocate nothing
/// (SoundTouch's own buffers settle during the first seconds of timescale and are reused).
public final class FilterChain {
    public let sampleRate: Double
    /// How long each parameter change glides: 20 ms.
    public let rampFrames: Int
    /// Most frames the chain holds for reading outside timescale; push no more than
    /// `capacityFrames − availableFrames` at once.
    public var capacityFrames: Int { fifo.capacityFrames }

    static let chunkFrames = 1024

    private var pending: ResolvedFilters?
    private var settings = ResolvedFilters(FilterSettings())
    private var lowPass = LowPass()
    private var channelMix = ChannelMix()
    private var rotation: Rotation
    private var distortion = Distortion()
    private var vibrato: Vibrato
    private var tremolo: Tremolo
    private let timescale: Timescale
    private var karaoke: Karaoke
    private var equalizer: Equalizer
    private var volume = Volume()

    private var fifo: SampleFIFO
    private let scratch: UnsafeMutablePointer<Float>
    private var path = Path.direct
    private var timescaleWanted = false
    /// Frames of SoundTouch's flushed tail still to read while leaving timescale.
    private var drainRemaining = 0
    private var timescaleRatio = 1.0
    /// The dip around a hand-over between the direct path and timescale.
    private var junction = Ramp(1)

    /// Where pushed audio goes, and how the hand-overs between the two paths are faded.
    private enum Path {
        /// Straight into the FIFO.
        case direct
        /// Still direct, while the output dips to silence; at the bottom the FIFO's unread audio
        /// moves into SoundTouch and the output rises again from there.
        case enteringTimescale
        /// Through SoundTouch.
        case timescale
        /// SoundTouch was flushed at the request; its tail plays out with a fade, then the
        /// FIFO (filled by the pushes since) rises in.
        case leavingTimescale
    }

    public init(sampleRate: Double = 48_000, capacityFrames: Int = 96_000) {
        self.sampleRate = sampleRate
        rampFrames = Int((sampleRate * 0.020).rounded())
        rotation = Rotation(sampleRate: sampleRate)
        vibrato = Vibrato(sampleRate: sampleRate)
        tremolo = Tremolo(sampleRate: sampleRate)
        timescale = Timescale(sampleRate: sampleRate)
        karaoke = Karaoke(sampleRate: sampleRate)
        equalizer = Equalizer(sampleRate: sampleRate)
        fifo = SampleFIFO(capacityFrames: capacityFrames)
        scratch = .allocate(capacity: Self.chunkFrames * 2)
        scratch.initialize(repeating: 0, count: Self.chunkFrames * 2)
    }

    deinit { scratch.deallocate() }

    /// Replaces the whole filter set (Lavalink's PATCH semantics); heard from the next push on.
    /// Settings are expected to be ``FilterSettings/validate()``d.
    public func update(_ settings: FilterSettings) { pending = ResolvedFilters(settings) }

    /// Filters `frameCount` interleaved stereo frames and queues the result for ``read(into:maxFrames:)``.
    public func process(_ input: UnsafePointer<Float>, frameCount: Int) {
        applyPending(ramp: rampFrames)
        if path == .enteringTimescale, junction.isSteady, junction.value == 0 { enterTimescale() }
        var done = 0
        while done < frameCount {
            let frames = min(Self.chunkFrames, frameCount - done)
            scratch.update(from: input + done * 2, count: frames * 2)
            lowPass.process(scratch, frames: frames)
            channelMix.process(scratch, frames: frames)
            rotation.process(scratch, frames: frames)
            distortion.process(scratch, frames: frames)
            vibrato.process(scratch, frames: frames)
            tremolo.process(scratch, frames: frames)
            if path == .timescale {
                timescale.put(scratch, frames: frames)
            } else {
                precondition(fifo.freeFrames >= frames, "FilterChain: pushed past capacityFrames without reading")
                fifo.write(scratch, frames: frames)
            }
            done += frames
        }
    }

    /// Moves up to `maxFrames` filtered frames into `output`; returns how many (0 when none are ready).
    public func read(into output: UnsafeMutablePointer<Float>, maxFrames: Int) -> Int {
        var count = 0
        while count < maxFrames {
            let out = output + count * 2
            var want = maxFrames - count
            let got: Int
            switch path {
            case .enteringTimescale:
                if junction.isSteady, junction.value == 0 {
                    enterTimescale()
                    continue
                }
                // Stop exactly where the dip reaches silence, so the hand-over happens there.
                if !junction.isSteady { want = min(want, junction.remainingFrames) }
                got = fifo.read(into: out, maxFrames: want)
                applyJunction(out, frames: got)
            case .direct:
                got = fifo.read(into: out, maxFrames: want)
                applyJunction(out, frames: got)
            case .timescale:
                got = timescale.receive(into: out, maxFrames: want)
                applyJunction(out, frames: got)
            case .leavingTimescale:
                if drainRemaining == 0 {
                    leaveTimescale()
                    continue
                }
                got = timescale.receive(into: out, maxFrames: min(want, drainRemaining))
                if got == 0 {
                    drainRemaining = 0
                    continue
                }
                for frame in 0..<got {
                    // Fade out over the tail's last ramp, down to silence at its very end.
                    let left = drainRemaining - frame - 1
                    if left < rampFrames {
                        let g = junction.value * Float(left) / Float(rampFrames)
                        out[2 * frame] *= g
                        out[2 * frame + 1] *= g
                    } else if junction.value != 1 {
                        out[2 * frame] *= junction.value
                        out[2 * frame + 1] *= junction.value
                    }
                }
                drainRemaining -= got
            }
            if got == 0 { break }
            karaoke.process(out, frames: got)
            equalizer.process(out, frames: got)
            volume.process(out, frames: got)
            count += got
        }
        return count
    }

    private func applyJunction(_ out: UnsafeMutablePointer<Float>, frames: Int) {
        guard !(junction.isSteady && junction.value == 1) else { return }
        for frame in 0..<frames {
            let g = junction.next()
            out[2 * frame] *= g
            out[2 * frame + 1] *= g
        }
    }

    /// Frames ready to read now.
    public var availableFrames: Int {
        switch path {
        case .direct, .enteringTimescale: fifo.count
        case .timescale: timescale.availableFrames
        case .leavingTimescale: drainRemaining + fifo.count
        }
    }

    /// At a track's end: pushes timescale's tail out so it can be read.
    public func flush() {
        if path == .timescale { timescale.flush() }
    }

    /// Drops all audio and filter state (seek, new track); parameters jump to their targets.
    public func reset() {
        applyPending(ramp: 0)
        fifo.removeAll()
        timescale.clear()
        path = timescaleWanted ? .timescale : .direct
        if timescaleWanted {
            // A reset may be what turns timescale on, or changes it while it was handing over.
            timescale.set(speed: settings.speed, pitch: settings.pitch, rate: settings.rate)
            timescaleRatio = settings.speed * settings.rate
        }
        drainRemaining = 0
        junction = Ramp(1)
        lowPass.reset()
        channelMix.reset()
        rotation.reset()
        distortion.reset()
        vibrato.reset()
        tremolo.reset()
        karaoke.reset()
        equalizer.reset()
        volume.reset()
    }

    /// Source frames per output frame (speed × rate while timescale is in the path, else 1):
    /// the engine multiplies output frames by it to keep positions in source time.
    public var timeRatio: Double { path == .timescale || path == .leavingTimescale ? timescaleRatio : 1 }

    /// Source frames taken in but not yet available as output (timescale's look-ahead).
    public var latencyFrames: Int { path == .timescale ? timescale.unprocessedFrames : 0 }

    /// True when the chain leaves samples exactly as they are: no filter on or fading out, and
    /// no pending update that would turn one on.
    public var isIdentity: Bool {
        (pending?.isIdentity ?? settings.isIdentity) && path == .direct && !timescaleWanted
            && junction.isSteady && junction.value == 1
            && !(lowPass.isActive || channelMix.isActive || rotation.isActive || distortion.isActive
                || vibrato.isActive || tremolo.isActive || karaoke.isActive || equalizer.isActive || volume.isActive)
    }

    // MARK: - Applying settings

    private func applyPending(ramp: Int) {
        guard let next = pending else { return }
        pending = nil
        settings = next
        lowPass.configure(smoothing: next.smoothing, ramp: ramp)
        channelMix.configure(next.channelMix, ramp: ramp)
        rotation.configure(hz: next.rotationHz, ramp: ramp)
        distortion.configure(next.distortion, ramp: ramp)
        vibrato.configure(next.vibrato, ramp: ramp)
        tremolo.configure(next.tremolo, ramp: ramp)
        karaoke.configure(next.karaoke, ramp: ramp)
        equalizer.configure(next.equalizer, ramp: ramp)
        volume.configure(next.volume, ramp: ramp)
        timescaleWanted = next.timescaleEnabled
        switch (path, timescaleWanted) {
        case (.timescale, true):
            timescale.set(speed: next.speed, pitch: next.pitch, rate: next.rate)
            timescaleRatio = next.speed * next.rate
        case (.direct, true):
            path = .enteringTimescale
            junction.set(0, over: ramp)
        case (.enteringTimescale, false):
            path = .direct
            junction.set(1, over: ramp)
        case (.timescale, false):
            // Everything pushed so far comes out of SoundTouch; what is pushed next goes direct.
            timescale.flush()
            drainRemaining = timescale.availableFrames
            path = .leavingTimescale
        default:
            break  // entering stays entering; leaving finishes its tail first
        }
    }

    /// At the bottom of the dip: the FIFO's unread audio goes into SoundTouch ahead of what
    /// comes next, and the output rises from silence.
    private func enterTimescale() {
        timescale.clear()
        timescale.set(speed: settings.speed, pitch: settings.pitch, rate: settings.rate)
        timescaleRatio = settings.speed * settings.rate
        while fifo.count > 0 {
            let frames = fifo.read(into: scratch, maxFrames: Self.chunkFrames)
            timescale.put(scratch, frames: frames)
        }
        path = .timescale
        junction.set(1, over: rampFrames)
    }

    /// SoundTouch's tail has played out (faded to silence); the direct audio rises in.
    private func leaveTimescale() {
        timescale.clear()
        junction = Ramp(0)
        if timescaleWanted {
            path = .enteringTimescale  // asked back in meanwhile: hand over at once, at silence
        } else {
            path = .direct
            junction.set(1, over: rampFrames)
        }
    }
}
