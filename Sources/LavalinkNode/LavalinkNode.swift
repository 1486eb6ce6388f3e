// LavalinkNode: `cadence node`, a Lavalink v4 node on Cadence's engine: the REST routes and the
// `/v4/websocket` of ../shared/docs/lavalink-v4.md (Hummingbird), sessions kept in the store so a
// resumable session survives a restart, and players that join voice with DAVE.
//
// Public face (what a user of the LavalinkNode product calls: the CLI and the benchmark):
// - `LavalinkNodeServer`: run until shutdown (SIGTERM/SIGINT when asked), `boundPort()`, `shutdown()`.
// - `NodeConfiguration` with `NodeConfigurationError`: Lavalink's application.yml keys and
//   Spring-style environment names, checked before the node starts.
