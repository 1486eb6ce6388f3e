// ResolutionStore: where Store and Resolver are joined: the resolver's cache of resolved tracks
// kept in SQLite (`StoredResolutionCache`), so neither of the two depends on the other.
//
// Public face: none. Its one user is the bot, inside this package, through `package` access.
