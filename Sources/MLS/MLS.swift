// MLS: the subset of RFC 9420 (Messaging Layer Security) that Discord's DAVE protocol needs, for
// cipher suite 2 (P-256, AES-128-GCM, SHA-256) with public-message handshakes. It knows nothing
// about Discord; DAVE drives it through `package` access to the framing, tree and key schedule.
//
// Public face (what a user of the MLS product calls, today the benchmark):
// - `MLSGroup`: one member's view of a group in one epoch; `create`, `join(welcome:)`,
//   `commit(adding:removing:)`, `merge(_:)` (the own commit was accepted), `epochAuthenticator`.
//   Processing other members' messages (`process`, `MLSMessage`, `ProcessedMessage`) is
//   `package`: DAVE is its only user.
// - `CommitOutput`: a commit to send and the `Welcome` for the members it adds.
// - `Welcome`: the message a joiner opens with its key package.
// - `KeyPackage`, `KeyPackageSecrets`: a member's published key package and the private keys
//   behind it (`KeyPackage.create`).
// - `CipherSuite`: the cipher suite (`.p256`, the only one implemented).
// - `SignatureKeyPair`: a member's signing key (`generate()`).
// - `MLSError`, with `MLSCheck` (which RFC 9420 check failed) and `MLSCodecError` (which field
//   did not decode): every failure of this module.
//
// Guarantees: every message is validated against the RFC 9420 rules named by `MLSCheck` before
// it changes a group; a group never advances on a failed `process`; decoding consumes exactly
// the bytes of one value and rejects non-minimal or trailing encodings; members that process the
// same commits agree on `epochAuthenticator`.
