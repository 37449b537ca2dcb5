package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/folio-mx/folio/data/internal/receivedsql"
	"github.com/folio-mx/folio/domain/received"
)

var _ received.Store = (*Store)(nil)

// The imported CFDI's SQL is the PostgreSQL store's too
// (data/internal/receivedsql).

// CompanyRFCs returns the RFC of every company (received.Store).
func (s *Store) CompanyRFCs(ctx context.Context) ([]string, error) {
	rfcs, err := receivedsql.CompanyRFCs(ctx, s.r)
	return rfcs, mapErr("sqlite.CompanyRFCs", s.path, err)
}

// SaveReceived stores docs in one transaction (received.Store): a document
// whose doc_key is already stored (or repeated in docs) is reported false
// and left as it was. The Emisor of each received document stored is
// upserted into suppliers.
func (s *Store) SaveReceived(ctx context.Context, docs []received.Doc) ([]bool, error) {
	var stored []bool
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		stored, err = receivedsql.Save(ctx, tx, docs, s.clock())
		return err
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, mapErr("sqlite.SaveReceived", s.path, err)
	}
	return stored, nil
}

// FindReceived lists the documents f selects, newest Fecha first, without
// their XML (received.Store). At most f.Limit rows (1000 by default).
func (s *Store) FindReceived(ctx context.Context, f received.Filter) ([]received.Doc, error) {
	docs, err := receivedsql.Find(ctx, s.r, f)
	return docs, mapErr("sqlite.FindReceived", s.path, err)
}

// ReceivedXML returns the stored bytes of one imported document; NotFound
// when there is none with id.
func (s *Store) ReceivedXML(ctx context.Context, id int64) ([]byte, error) {
	b, err := receivedsql.XML(ctx, s.r, id)
	return b, mapErr("sqlite.ReceivedXML", s.path, err)
}

// Suppliers lists the suppliers import recorded for issuer, by name
// (received.Store).
func (s *Store) Suppliers(ctx context.Context, issuer string) ([]received.Supplier, error) {
	sup, err := receivedsql.Suppliers(ctx, s.r, issuer)
	return sup, mapErr("sqlite.Suppliers", s.path, err)
}
