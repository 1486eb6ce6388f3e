import AudioEngine
import CSodium
import DAVE
import Foundation
import Synchronization

/// The engine's `FrameSink` for Discord: turns each Opus frame into one encrypted RTP packet
/// and hands it to the kernel, on the pacer's thread, without allocating.
///
/// Guarantees:
/// - Sequence +1 and timestamp +960 per packet across resumes and moves, so the listener hears
///   the track continue where it stopped; the nonce counter never repeats for the life of the
///   sender, so no key ever sees a counter twice.
/// - `isReady` is false from the moment the connection drops until a session (resumed or
///   new) has installed its route; the pacer then holds frames instead of sending them.
/// - Every packet leaves from the pacer's thread as its frame arrives; none is held back.
///   `setSpeaking(true)` queues op 5 a tick before the burst's first frame (the pacer's
///   rule), so a server learns the SSRC before media without a round trip on the audio path.
/// - E2EE: with no DAVE encryptor installed every Opus frame goes out as it is (passthrough);
///   once one is installed (an executed DAVE transition) every non-silence frame is
///   DAVE-encrypted into a preallocated buffer before transport encryption. Frames are never
///   held back or dropped for want of a key.
public final class RTPSender: FrameSink, @unchecked Sendable {
    /// Where packets go and how they are sealed; replaced as a whole by each new session.
    struct Route {
        let socket: UDPSocket
        let cipher: TransportCipher
        let ssrc: UInt32
    }

    private struct State {
        var route: Route?
        var sequence: UInt16
        var timestamp: UInt32
        var counter: UInt32 = 0
        var encryptor: FrameEncryptor?
    }

    /// Counters a caller can read at any time.
    public struct Statistics: Sendable, Equatable {
        public var packetsSent = 0
        public var sendFailures = 0
        public var bytesSent = 0
        /// Frames that went out DAVE-encrypted.
        public var e2eeFrames = 0
        /// Frames the DAVE encryptor refused (sent plain instead, so timing is kept).
        public var e2eeFailures = 0

        mutating func count(ok: Bool, bytes: Int) {
            if ok {
                packetsSent += 1
                bytesSent += bytes
            } else {
                sendFailures += 1
            }
        }
    }

    static let bufferSize = 4096
    private let state: Mutex<State>
    private let ready = Atomic<Bool>(false)
    private let speaking = Atomic<Bool>(false)
    private let stats = Mutex(Statistics())
    // Owned for the sender's lifetime; touched only while `state` is locked.
    private let packet = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
    private let nonce = UnsafeMutablePointer<UInt8>.allocate(capacity: 24)
    private let daveFrame = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    private let onSpeaking: Mutex<(@Sendable (Bool) -> Void)?> = Mutex(nil)

    /// `initialSequence`/`initialTimestamp` may be anything; random values are what discord.js does.
    public init(
        initialSequence: UInt16 = .random(in: 0...UInt16.max),
        initialTimestamp: UInt32 = .random(in: 0...UInt32.max)
    ) {
        state = Mutex(State(sequence: initialSequence, timestamp: initialTimestamp))
    }

    deinit {
        packet.deallocate()
        nonce.deallocate()
        daveFrame.deallocate()
    }

    public var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Whether a track is currently speaking (the pacer's last `setSpeaking`).
    public var isSpeaking: Bool { speaking.load(ordering: .acquiring) }

    public var statistics: Statistics { stats.withLock { $0 } }

    public func send(opus: UnsafeRawBufferPointer) {
        guard opus.count <= Self.bufferSize - RTPHeader.size - EncryptionMode.overhead - MediaFrame.maximumOverhead else { return }
        var result: (ok: Bool, bytes: Int)? = nil
        var e2ee: Bool? = nil
        state.withLock { state in
            guard let route = state.route else { return }
            var payload = opus
            if state.encryptor != nil, !MediaFrame.isSilence(opus) {
                // Optional chaining mutates the encryptor in place: no copy of its ratchet.
                if let length = try? state.encryptor?.encrypt(opus, into: daveFrame) {
                    payload = UnsafeRawBufferPointer(rebasing: daveFrame[0..<length])
                    e2ee = true
                } else {
                    e2ee = false
                }
            }
            let header = RTPHeader(sequence: state.sequence, timestamp: state.timestamp, ssrc: route.ssrc)
            header.write(to: packet)
            let length = route.cipher.seal(packet: packet, payload: payload, counter: state.counter, nonceScratch: nonce)
            state.counter &+= 1
            state.sequence &+= 1
            state.timestamp &+= RTPHeader.samplesPerFrame
            result = (route.socket.send(packet, count: length), length)
        }
        if result != nil || e2ee != nil {
            stats.withLock { stats in
                if let (ok, bytes) = result { stats.count(ok: ok, bytes: bytes) }
                if let e2ee { if e2ee { stats.e2eeFrames += 1 } else { stats.e2eeFailures += 1 } }
            }
        }
    }

    public func setSpeaking(_ speaking: Bool) {
        self.speaking.store(speaking, ordering: .releasing)
        onSpeaking.withLock { $0 }?(speaking)
    }

    // MARK: Connection side

    /// Called by the connection with the function that sends op 5.
    func setSpeakingHandler(_ handler: (@Sendable (Bool) -> Void)?) { onSpeaking.withLock { $0 = handler } }

    /// Installs a session's route and opens the gate.
    func install(_ route: Route) {
        state.withLock { $0.route = route }
        ready.store(true, ordering: .releasing)
    }

    /// Re-opens the gate on the route that survived a resume.
    func reopen() {
        if state.withLock({ $0.route != nil }) { ready.store(true, ordering: .releasing) }
    }

    /// Closes the gate: the pacer holds frames from its next tick on.
    func suspend() { ready.store(false, ordering: .releasing) }

    /// Closes the gate and forgets the route (its key belongs to a session that is gone).
    func detach() {
        ready.store(false, ordering: .releasing)
        state.withLock { $0.route = nil }
    }

    /// Switches the E2EE step: an encryptor starts DAVE-encrypting from the next frame, nil
    /// returns to plain Opus. Takes the send lock only for the assignment.
    func installE2EE(_ encryptor: FrameEncryptor?) {
        state.withLock { $0.encryptor = encryptor }
    }

    /// Whether frames are currently DAVE-encrypted.
    public var isE2EEActive: Bool { state.withLock { $0.encryptor != nil } }

    /// The route's socket, for a resume that keeps UDP as it was.
    var currentRoute: Route? { state.withLock { $0.route } }
}

// MARK: One packet on the wire
// The rest of a frame's way out, kept beside `send` so the whole per-packet path (DAVE, header,
// transport seal, sendto) reads in one file; the types' set-up stays in their own files.

extension RTPHeader {
    /// Writes the header into the first 12 bytes of `buffer`, which must be that long.
    package func write(to buffer: UnsafeMutableRawPointer) {
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        bytes[0] = 0x80
        bytes[1] = Self.payloadType
        bytes[2] = UInt8(truncatingIfNeeded: sequence >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: sequence)
        for i in 0..<4 {
            bytes[4 + i] = UInt8(truncatingIfNeeded: timestamp >> (24 - 8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i))
        }
    }
}

extension TransportCipher {
    /// Encrypts `payload` behind the 12-byte header already at `packet[0..<12]` and returns the
    /// packet's total length. `packet` must hold 12 + payload + 20 bytes.
    package func seal(
        packet: UnsafeMutableRawPointer, payload: UnsafeRawBufferPointer, counter: UInt32,
        nonceScratch: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let header = packet.assumingMemoryBound(to: UInt8.self)
        let cipher = header + RTPHeader.size
        for i in 0..<24 { nonceScratch[i] = 0 }
        for i in 0..<4 { nonceScratch[i] = UInt8(truncatingIfNeeded: counter >> (24 - 8 * i)) }
        var written: UInt64 = 0
        let message = payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
        key.withUnsafeBufferPointer { key in
            switch mode {
            case .aes256GCM:
                _ = crypto_aead_aes256gcm_encrypt(
                    cipher, &written, message, UInt64(payload.count),
                    header, UInt64(RTPHeader.size), nil, nonceScratch, key.baseAddress!)
            case .xchacha20Poly1305:
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                    cipher, &written, message, UInt64(payload.count),
                    header, UInt64(RTPHeader.size), nil, nonceScratch,
                    key.baseAddress!)
            }
        }
        let suffix = cipher + Int(written)
        for i in 0..<4 { suffix[i] = nonceScratch[i] }
        return RTPHeader.size + Int(written) + 4
    }
}

extension UDPSocket {
    /// Sends one datagram; returns false when the kernel refused it (buffer full, no route).
    @discardableResult
    package func send(_ bytes: UnsafeRawPointer, count: Int) -> Bool {
        withUnsafePointer(to: &destination) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                sendto(descriptor, bytes, count, Int32(MSG_NOSIGNAL), address, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == count
    }
}
