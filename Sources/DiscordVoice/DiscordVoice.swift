// DiscordVoice: one voice connection to a Discord voice server: the v8 voice gateway
// (VoiceGateway/), IP discovery, the AEAD transports, DAVE end-to-end encryption, and the RTP
// sender the pacer feeds. The bot and the tests use the rest through `package` access.
//
// Public face (what a user of the DiscordVoice product calls, today the benchmark):
// - `VoiceConnection` with `VoiceConnection.Options`: connect, disconnect, the E2EE status.
// - `VoiceIdentity`, `VoiceServer`: who connects, and where (from the main gateway's events).
// - `RTPSender` with `RTPSender.Statistics`: the `FrameSink` that turns Opus frames into
//   encrypted RTP packets on the caller's (the pacer's) thread.
// - `VoiceE2EE` / `VoiceE2EE.Status`: whether outgoing audio is DAVE-encrypted, and the
//   privacy code.
//
// Guarantees: `RTPSender.send(opus:)` builds, encrypts and hands each packet to the kernel on
// the caller's thread without allocating; `connect()` either reaches ready within
// `Options.handshakeTimeout` or throws.
