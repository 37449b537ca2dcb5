package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/folio-mx/folio/data/internal/receivedsql"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
)

var (
	_ received.LinkStore        = (*Store)(nil)
	_ received.ConcordanceStore = (*Store)(nil)
	_ received.StatusStore      = (*Store)(nil)
)

// LinkTx runs fn in one immediate write transaction (received.LinkStore).
func (s *Store) LinkTx(ctx context.Context, fn func(tx received.LinkTx) error) error {
	return s.WriteTx(ctx, func(tx *sql.Tx) error { return fn(linkTx{q: tx, now: s.Now}) })
}

type linkTx struct {
	q   *sql.Tx
	now func() time.Time
}

func (t linkTx) LoadDocument(ctx context.Context, id int64) (sales.Invoice, error) {
	return findInvoice(ctx, t.q, id)
}

func (t linkTx) LoadReceived(ctx context.Context, id int64) (received.Doc, error) {
	return receivedsql.Doc(ctx, t.q, id)
}

// RecordAdoption writes what received.CheckLink decided
// (receivedsql.RecordAdoption) with this store's invoice helpers.
func (t linkTx) RecordAdoption(ctx context.Context, a *received.Adoption) error {
	return receivedsql.RecordAdoption(ctx, t.q, a, t.now(), receivedsql.Posting{
		Update:   func(inv *sales.Invoice, from sales.State) error { return updateInvoice(ctx, t.q, inv, from, false) },
		Record:   func(p *sales.Posted) error { return recordPosting(ctx, t.q, p) },
		IsUnique: isUniqueViolation,
	})
}

// recordPosting stores a posted invoice's derived amounts and the
// receivable it opens.
func recordPosting(ctx context.Context, q querier, p *sales.Posted) error {
	if err := writeAmounts(ctx, q, p.Invoice.ID, p.Amounts); err != nil {
		return err
	}
	return recordReceivable(ctx, q, p)
}

// ReceivedDoc returns an imported document with its XML
// (received.ConcordanceStore).
func (s *Store) ReceivedDoc(ctx context.Context, id int64) (received.Doc, error) {
	d, err := receivedsql.Doc(ctx, s.r, id)
	return d, mapErr("sqlite.ReceivedDoc", s.path, err)
}

// CustomerByRFC returns the active customer with rfc, the oldest when
// several (received.ConcordanceStore).
func (s *Store) CustomerByRFC(ctx context.Context, rfc string) (sales.Customer, bool, error) {
	id, ok, err := receivedsql.CustomerByRFC(ctx, s.r, rfc)
	if !ok || err != nil {
		return sales.Customer{}, false, mapErr("sqlite.CustomerByRFC", s.path, err)
	}
	c, err := s.FindCustomerByID(ctx, id)
	return c, err == nil, err
}

// Mappings returns concordancia's memory of issuer for customerID
// (received.ConcordanceStore).
func (s *Store) Mappings(ctx context.Context, issuer string, customerID int64) ([]received.Mapping, error) {
	ms, err := receivedsql.Mappings(ctx, s.r, issuer, customerID)
	return ms, mapErr("sqlite.Mappings", s.path, err)
}

// Remember adds one confirmation to each mapping (received.ConcordanceStore).
func (s *Store) Remember(ctx context.Context, issuer string, customerID int64, ms []received.Mapping, now time.Time) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error { return receivedsql.Remember(ctx, tx, issuer, customerID, ms, now) })
	return mapErr("sqlite.Remember", s.path, err)
}

// StatusPending returns the documents to consult at SAT, with their XML
// (received.StatusStore): ids, or every stamped one never consulted.
func (s *Store) StatusPending(ctx context.Context, issuer string, ids []int64) ([]received.Doc, error) {
	docs, err := receivedsql.StatusPending(ctx, s.r, issuer, ids)
	return docs, mapErr("sqlite.StatusPending", s.path, err)
}

// SetSATStatus records SAT's answer for one document (received.StatusStore).
func (s *Store) SetSATStatus(ctx context.Context, id int64, status string, at time.Time) error {
	err := s.WriteTx(ctx, func(tx *sql.Tx) error { return receivedsql.SetSATStatus(ctx, tx, id, status, at) })
	return mapErr("sqlite.SetSATStatus", s.path, err)
}
