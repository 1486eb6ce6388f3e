// Resolver: what a user typed (a URL or words) to a playable stream through yt-dlp (a warm
// worker process, with a one-shot fallback), under one source policy (schemes, private
// networks, argument injection, length limits) and a resolution cache.
//
// Not a product: its users are CadenceBot, LavalinkNode, the CLI and the tests, so everything
// is `package`. `TrackResolver` is the entry point.
