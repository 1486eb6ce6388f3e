// DAVE: Discord's audio/video end-to-end encryption on top of MLS: the session state machine
// (DAVESession: key packages, proposals, commits, welcomes and transitions), the voice
// gateway's DAVE opcodes, and the per-frame media encryption. DiscordVoice and the voice
// simulator use it through `package` access.
//
// Public face (what a user of the DAVE product calls, today the benchmark's encryption cost):
// - `KeyRatchet`: the per-sender key ratchet derived from an MLS exporter secret.
// - `FrameEncryptor`: encrypts Opus frames into DAVE media frames, on the real-time path
//   without allocating (`encrypt(_:into:)`).
// - `DAVEError`: every failure of this module, with its context.
//
// Guarantees: a frame is never sent with a reused nonce for a key generation; the encryptor
// writes into the caller's buffer and allocates nothing per frame; an undecryptable or
// malformed message fails with a `DAVEError` that says what and where, never a crash.
