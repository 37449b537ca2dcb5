// Package sqlite is Folio's store: one SQLite file (mattn/go-sqlite3) in WAL
// mode with foreign keys on, synchronous=FULL and immediate write
// transactions, opened as one single-connection write handle plus a
// read-only handle for readers, so a long write never makes a screen wait on
// "database is locked".
//
// The schema comes from the numbered files in migrations/ (embedded), each
// applied in its own transaction and recorded in schema_migrations. Number
// ranges per area: 0001–0009 store and catalogs, 0010–0019 stamping,
// 0020–0029 invoicing, 0030–0039 printing and mail. Before an existing
// database is migrated a copy is written beside it with SQLite's online
// backup API. Foreign errors (not a database, newer schema, read-only
// location, disk full, locked) are mapped once, here, to domain.Error values
// whose Spanish message says what to do. Times are stored as UTC RFC 3339
// TEXT; amounts as TEXT decimals.
package sqlite
