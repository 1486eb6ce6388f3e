// LavalinkProtocol: Lavalink v4 values that need no server: lavaplayer's encoded-track codec
// (v3 written, v1–v3 read, modified UTF-8, the http probe trailer) and the Track, LoadResult and
// Exception JSON.
//
// Not a product: its users are LavalinkNode and the tests, so everything is `package`.
