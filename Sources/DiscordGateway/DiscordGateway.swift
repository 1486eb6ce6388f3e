// DiscordGateway: the bot's side of Discord besides voice: the v10 gateway (heartbeats,
// identify and resume, close-code policy, shards, zlib-stream), REST (one ordered lane per
// route, rate-limit buckets, 429/5xx retries), slash-command models, and `VoiceHandshake`, which
// pairs VOICE_STATE_UPDATE with VOICE_SERVER_UPDATE for `DiscordVoice`.
//
// Not a product: its only users are CadenceBot and the tests, so everything is `package`.
