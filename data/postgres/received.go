package postgres

import (
	"context"
	"time"

	"github.com/folio-mx/folio/data/internal/receivedsql"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
)

var (
	_ received.Store            = (*Store)(nil)
	_ received.StatusStore      = (*Store)(nil)
	_ received.LinkStore        = (*Store)(nil)
	_ received.ConcordanceStore = (*Store)(nil)
)

// The imported CFDI's SQL is the SQLite store's (data/internal/receivedsql).

// CompanyRFCs returns the RFC of every company (received.Store).
func (s *Store) CompanyRFCs(ctx context.Context) ([]string, error) {
	rfcs, err := receivedsql.CompanyRFCs(ctx, s.db)
	return rfcs, mapErr("postgres.CompanyRFCs", s.name, err)
}

// SaveReceived stores docs in one transaction (received.Store): a document
// whose doc_key is already stored (or repeated in docs, or stored by
// another workstation meanwhile) is reported false and left as it was. The
// Emisor of each received document stored is upserted into suppliers.
func (s *Store) SaveReceived(ctx context.Context, docs []received.Doc) ([]bool, error) {
	var stored []bool
	err := s.WriteTx(ctx, func(tx *Tx) error {
		var err error
		stored, err = receivedsql.Save(ctx, tx, docs, s.clock())
		return err
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// FindReceived lists the documents f selects, newest Fecha first, without
// their XML (received.Store). At most f.Limit rows (1000 by default).
func (s *Store) FindReceived(ctx context.Context, f received.Filter) ([]received.Doc, error) {
	docs, err := receivedsql.Find(ctx, s.db, f)
	return docs, mapErr("postgres.FindReceived", s.name, err)
}

// ReceivedXML returns the stored bytes of one imported document; NotFound
// when there is none with id.
func (s *Store) ReceivedXML(ctx context.Context, id int64) ([]byte, error) {
	b, err := receivedsql.XML(ctx, s.db, id)
	return b, mapErr("postgres.ReceivedXML", s.name, err)
}

// Suppliers lists the suppliers import recorded for issuer, by name
// (received.Store).
func (s *Store) Suppliers(ctx context.Context, issuer string) ([]received.Supplier, error) {
	sup, err := receivedsql.Suppliers(ctx, s.db, issuer)
	return sup, mapErr("postgres.Suppliers", s.name, err)
}

// StatusPending returns the documents to consult at SAT, with their XML
// (received.StatusStore): ids, or every stamped one never consulted.
func (s *Store) StatusPending(ctx context.Context, issuer string, ids []int64) ([]received.Doc, error) {
	docs, err := receivedsql.StatusPending(ctx, s.db, issuer, ids)
	return docs, mapErr("postgres.StatusPending", s.name, err)
}

// SetSATStatus records SAT's answer for one document (received.StatusStore).
func (s *Store) SetSATStatus(ctx context.Context, id int64, status string, at time.Time) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return receivedsql.SetSATStatus(ctx, tx, id, status, at) })
}

// LinkTx runs fn in one transaction (received.LinkStore). A link that
// records its adoption tells the other workstations, as a post does, so
// their lists show the invoice stamped. Two workstations linking at once
// cannot both win: the invoice is rewritten only while still a draft, the
// imported row only while unlinked, and the UUID and serie-folio are
// unique among documents.
func (s *Store) LinkTx(ctx context.Context, fn func(tx received.LinkTx) error) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return fn(linkTx{q: tx, now: s.Now}) })
}

type linkTx struct {
	q   *Tx
	now func() time.Time
}

func (t linkTx) LoadDocument(ctx context.Context, id int64) (sales.Invoice, error) {
	return findInvoice(ctx, t.q, id)
}

func (t linkTx) LoadReceived(ctx context.Context, id int64) (received.Doc, error) {
	return receivedsql.Doc(ctx, t.q, id)
}

// RecordAdoption writes what received.CheckLink decided
// (receivedsql.RecordAdoption) with this store's invoice helpers, and
// announces the invoice.
func (t linkTx) RecordAdoption(ctx context.Context, a *received.Adoption) error {
	err := receivedsql.RecordAdoption(ctx, t.q, a, t.now(), receivedsql.Posting{
		Update: func(inv *sales.Invoice, from sales.State) error { return updateInvoice(ctx, t.q, inv, from, false) },
		Record: func(p *sales.Posted) error {
			if err := writeAmounts(ctx, t.q, p.Invoice.ID, p.Amounts); err != nil {
				return err
			}
			return recordReceivable(ctx, t.q, p)
		},
		IsUnique: isUniqueViolation,
	})
	if err != nil {
		return err
	}
	return notify(ctx, t.q, change{Kind: event.DocumentPosted, Issuer: a.Invoice.Issuer, InvoiceID: a.Invoice.ID})
}

// ReceivedDoc returns an imported document with its XML
// (received.ConcordanceStore).
func (s *Store) ReceivedDoc(ctx context.Context, id int64) (received.Doc, error) {
	d, err := receivedsql.Doc(ctx, s.db, id)
	return d, mapErr("postgres.ReceivedDoc", s.name, err)
}

// CustomerByRFC returns the active customer with rfc, the oldest when
// several (received.ConcordanceStore).
func (s *Store) CustomerByRFC(ctx context.Context, rfc string) (sales.Customer, bool, error) {
	id, ok, err := receivedsql.CustomerByRFC(ctx, s.db, rfc)
	if !ok || err != nil {
		return sales.Customer{}, false, mapErr("postgres.CustomerByRFC", s.name, err)
	}
	c, err := s.FindCustomerByID(ctx, id)
	return c, err == nil, err
}

// Mappings returns concordancia's memory of issuer for customerID
// (received.ConcordanceStore).
func (s *Store) Mappings(ctx context.Context, issuer string, customerID int64) ([]received.Mapping, error) {
	ms, err := receivedsql.Mappings(ctx, s.db, issuer, customerID)
	return ms, mapErr("postgres.Mappings", s.name, err)
}

// Remember adds one confirmation to each mapping (received.ConcordanceStore);
// two workstations confirming the same mapping at once both count.
func (s *Store) Remember(ctx context.Context, issuer string, customerID int64, ms []received.Mapping, now time.Time) error {
	return s.WriteTx(ctx, func(tx *Tx) error { return receivedsql.Remember(ctx, tx, issuer, customerID, ms, now) })
}
