import AudioEngine
import DiscordVoice
import Synchronization

/// The engine player's sink for the whole life of a Lavalink player: forwards to the RTP
/// sender of whichever voice connection is current, so a voice reconnect (new endpoint,
/// token or channel) swaps the connection under a track that keeps its position.
///
/// With no connection it is not ready: the pacer keeps frames in the ring and counts nulled
/// ticks, so audio resumes where it stood once voice is back.
final class VoiceSink: FrameSink, Sendable {
    private struct State {
        var sender: RTPSender?
        var speaking = false
    }

    private let state = Mutex(State())

    var isReady: Bool { state.withLock { $0.sender?.isReady ?? false } }

    func send(opus: UnsafeRawBufferPointer) {
        state.withLock { $0.sender }?.send(opus: opus)
    }

    func setSpeaking(_ speaking: Bool) {
        let sender = state.withLock { state -> RTPSender? in
            state.speaking = speaking
            return state.sender
        }
        sender?.setSpeaking(speaking)
    }

    /// Routes frames to `sender` from the next tick on; it learns the current speaking state.
    func attach(_ sender: RTPSender?) {
        let speaking = state.withLock { state -> Bool in
            state.sender = sender
            return state.speaking
        }
        if speaking { sender?.setSpeaking(true) }
    }
}
