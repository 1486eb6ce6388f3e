/// A parameter that glides linearly to a new target over a fixed number of frames, so no
/// change of gain or coefficient ever steps (clicks). Plain value, no allocation.
struct Ramp {
    private(set) var value: Float
    private(set) var target: Float
    private var step: Float = 0
    private var remaining = 0

    init(_ value: Float) {
        self.value = value
        target = value
    }

    var isSteady: Bool { remaining == 0 }

    /// Frames left until the target is reached.
    var remainingFrames: Int { remaining }

    /// Starts gliding to `newTarget` over `frames` frames (at once when `frames` is 0).
    mutating func set(_ newTarget: Float, over frames: Int) {
        target = newTarget
        if newTarget == value || frames <= 0 {
            snap()
            return
        }
        step = (newTarget - value) / Float(frames)
        remaining = frames
    }

    /// Jumps to the target (used while the stage is inaudible, or on reset).
    mutating func snap() {
        value = target
        remaining = 0
    }

    /// The value for the next frame.
    @inline(__always)
    mutating func next() -> Float {
        if remaining > 0 {
            remaining -= 1
            value = remaining == 0 ? target : value + step
        }
        return value
    }
}
