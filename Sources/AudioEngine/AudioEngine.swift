// AudioEngine: one continuous audio stream per player, from any source libav opens to Opus
// frames paced every 20 ms into a `FrameSink`. Decoding, resampling, Lavalink's filters (through
// `AudioDSP`), volume and Opus encoding (or the source's own Opus packets, passed through) run on
// one decoder thread per player; the frames wait in a lock-free SPSC ring; one pacer thread per
// process sends every player's frames on a shared 20 ms grid. ARCHITECTURE.md gives the tick.
//
// Public face (what a user of the AudioEngine product calls: the benchmark, the bot, the node, the CLI):
// - `Player` with `PlayerOptions`, `PlayerEvent`, `FinishReason`: play, queue gaplessly or with a
//   crossfade, seek, pause, volume, filters, loudness normalisation, stop; events in order.
// - `TrackSource`: a location with its HTTP headers, liveness, a way to refresh an expired URL,
//   and its `TrackLoudness` when known; `TrackMeasurement`, what `Player.measurements` reports
//   once a track was measured whole, for the caller to keep.
// - `Pacer`, `PacerClock` (`MonotonicClock` paces real audio, `VirtualClock` runs offline at
//   full speed), `PacerLane`, `PacingStats`: the one timing thread and its figures.
// - `FrameSink`: where frames go (the RTP sender, `OggFileSink` with `OggOpusWriter`, a test's
//   recorder); `FrameRing`, the SPSC ring a producer other than the engine's decoder may fill.
// - `EngineError`: why a track failed, typed, with the source it concerns.
// - `ThreadName`: names the kernel thread, for the threads that callers start themselves.
//
// Guarantees: every control returns at once and is safe from any thread; nothing on the decoder
// or pacer thread waits on the network or on Swift concurrency.
