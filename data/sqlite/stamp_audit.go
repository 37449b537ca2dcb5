package sqlite

import (
	"context"
	"database/sql"

	"github.com/folio-mx/folio/data/internal/stampsql"
)

// PACExchange is one HTTP exchange with the PAC as kept for audit
// (stampsql.PACExchange).
type PACExchange = stampsql.PACExchange

// SavePACExchange appends an exchange to the audit log.
func (q *StampStore) SavePACExchange(ctx context.Context, x PACExchange) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error { return stampsql.SavePACExchange(ctx, tx, x) })
}

// PACExchanges returns the newest exchanges first, at most limit.
func (q *StampStore) PACExchanges(ctx context.Context, limit int) ([]PACExchange, error) {
	out, err := stampsql.PACExchanges(ctx, q.s.ReadDB(), limit)
	if err != nil {
		return nil, mapErr("sqlite.StampStore.PACExchanges", q.s.path, err)
	}
	return out, nil
}
