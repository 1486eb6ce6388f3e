// UMA: the Uma Musume API client on top of Store's HTTP cache: request spacing, revalidation,
// and name matching for the bot's lookups and autocomplete.
//
// Not a product: its only users are CadenceBot and the tests, so everything is `package`.
