// Store: Cadence's SQLite database (GRDB, WAL): the records, their repositories, the HTTP
// response cache the UMA client reads through, and the pipeline metrics writer. UMA,
// ResolutionStore and the bot use the rest through `package` access.
//
// Public face (what a user of the Store product calls: the benchmark, and the bot's public API):
// - `AppDatabase`: opens (and migrates) the database file.
// - `APICache`, with `CachePolicy`, `CacheResult` and `Freshness`: a cached upstream answer,
//   read without leaving the caller's thread on a hit.
// - `CharacterSearchCacheRepository`, `CharacterSearchCacheRecord` (and its `Columns`): the
//   cache table's rows.
// - `MetricsWriter`, `PipelineMetricRecord` (and its `Columns`), `PipelineMetricRepository`:
//   one row per played track, written in batches off the caller's thread.
// - `TrackLoudnessRecord`, `TrackLoudnessRepository`: a track's measured loudness by its
//   identity, so normalisation applies one gain from the first sample on later plays.
// - `StoreMaintenance.Report`: what a purge removed (the bot reports it).
// - `StoreError`: every failure of this module, with the key or argument it concerns.
//
// Guarantees: schema migrations run when the database opens; a cache hit never calls
// upstream; `MetricsWriter.record` never blocks on SQLite, and `flush`/`close` return once
// every recorded row is committed.
