// Package postgres is Folio's store on a PostgreSQL server, for an office
// whose workstations invoice for the same companies (issue 17). It keeps
// the same ports and the same contract as data/sqlite
// (internal/storetest runs on both) with the same SQL where the dialects
// agree, through database/sql on pgx (db.go rewrites the placeholders).
//
// What differs is what several processes need: migrations run once under
// an advisory lock; posting locks its series' row (SELECT … FOR UPDATE),
// so folios never collide or skip between workstations; stamp jobs are
// claimed FOR UPDATE SKIP LOCKED with leases that name their worker, and a
// starting worker frees only the leases of workers whose session lock is
// gone; changes are announced with NOTIFY and Store.Listen publishes them
// on a workstation's event bus. Money is NUMERIC beside the *_micro
// BIGINT columns that sums use; instants are timestamptz; search folds
// accents with unaccent and matches word prefixes through pg_trgm.
package postgres
