// Package storetest is the contract every Folio store must keep (design
// decision 14: one contract, two stores). Run exercises a store through the
// domain's use cases — sales.Service.Post with the demo company's SAT test
// CSD and SAT's catalogs, the stamp queue, the cancellation store — and
// checks what it recorded through the same ports: posting, one document
// or a batch, is atomic, folios never repeat, series number only their document type, list pages
// come newest first without repeats or gaps, queue leases hold, the
// lifecycle follows the queue, relations and derived amounts are stored as
// sealed, receivables open, move and close with their documents, balances
// and the aging are exact, the credit check holds inside the post, and a
// payment receipt's deposit into the company's account is recorded and
// reversed with it.
//
// A store package calls Run from its own tests with a function that opens a
// fresh, empty, fully migrated store. This package imports domain packages
// and assets only, never a store.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/shopspring/decimal"
)

// Store is what the domain's use cases need from a store: the sales ports,
// the read port of stored amounts, what sales.Companies keeps (the
// administrator password's hash, which a folio override is checked
// against) and the stamp queue.
type Store interface {
	sales.InvoiceStore
	sales.CustomerStore
	sales.ProductStore
	sales.SeriesStore
	sales.AmountsStore
	sales.PaymentStore
	sales.CompanySecretStore
	sales.SecretKeys
	receivables.Store
	banks.Store
	sales.CollectionStore
	// DocumentsRelatingTo returns the fiscal XML of issuer's documents that
	// mention uuid (the invoice list's "Ver relacionados"); InvoiceOfDocument
	// the invoice of a stamp-queue document (the PDFs' sale details).
	DocumentsRelatingTo(ctx context.Context, issuer, uuid string) ([][]byte, error)
	InvoiceOfDocument(ctx context.Context, documentID int64) (int64, error)
	// Queue returns the store's stamp queue and cancellation store; the same
	// value for the life of the store.
	Queue() Queue
}

// Queue is the stamp queue of a store (decision 4) with the cancellation
// requests of its documents and the lifecycle's guard on them.
type Queue interface {
	stamping.Store
	stamping.CancelStore
	stamping.CancelGuard
	stamping.CancelHolder
}

// Run runs the contract against the stores open returns. open must return
// a new, empty, fully migrated store for each call, closed when t ends;
// the subtests may run in parallel.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *fixture)
	}{
		{"DraftRoundTrip", testDraftRoundTrip},
		{"PostRecordsTheSealedDocument", testPostRecords},
		{"FailedPostLeavesNoTrace", testFailedPostLeavesNoTrace},
		{"BatchPostsAllOrNone", testBatchAllOrNone},
		{"ConcurrentPostsNeverDuplicate", testConcurrentPosts},
		{"SeriesNumberTheirDocumentType", testSeriesPerType},
		{"OverrideVoidsSkippedNumbers", testOverrideVoids},
		{"VoidFolio", testVoidFolio},
		{"ListPagesNewestFirst", testListPaging},
		{"ListFilters", testListFilters},
		{"ListSearchManyCustomers", testListSearchManyCustomers},
		{"QueueLeases", testQueueLeases},
		{"LifecycleFollowsQueueAndCancellation", testLifecycle},
		{"Relations", testRelations},
		{"AmountsAreTheSealedOnes", testAmounts},
		{"SumsAreExact", testSums},
		{"PaymentsCountAgainstTheirInvoices", testPayments},
		{"CancelHoldStopsPaymentsAndRelations", testCancelHold},
		{"ReceivableLife", testReceivableLife},
		{"AgingByCurrency", testAgingByCurrency},
		{"CreditControl", testCreditControl},
		{"CreditLimitInsideTheBatch", testCreditLimitInsideTheBatch},
		{"ReceivableHistory", testReceivableHistory},
		{"AccountsTakeDepositsAndReversals", testAccounts},
		{"CashSaleCollection", testCashSaleCollection},
		{"DocumentsRelatingTo", testDocumentsRelatingTo},
		{"InvoiceOfDocument", testInvoiceOfDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newFixture(t, open(t)))
		})
	}
}

// base is the instant the contract's clock starts at: inside the validity
// of the demo CSD.
var base = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// Shared read-only inputs: loaded once per test binary.
var (
	catsOnce sync.Once
	cats     *sat.Catalogs
	signer   *csd.CSD
	loadErr  error
)

func load(t *testing.T) (*sat.Catalogs, *csd.CSD) {
	t.Helper()
	catsOnce.Do(func() {
		if cats, loadErr = sat.NewCatalogs(assets.Catalogs); loadErr != nil {
			return
		}
		signer, loadErr = csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, base)
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return cats, signer
}

// fixture is one store with the demo company's customers and products and
// a service posting into it on a clock the test moves.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	s      Store
	q      Queue
	admin  *sales.Companies // the administrator credential, kept in s
	svc    *sales.Service
	co     *sales.Company
	signer *csd.CSD
	cust   []sales.Customer // sales.DemoCustomers, stored
	prod   []sales.Product  // sales.DemoProducts, stored

	mu      sync.Mutex
	now     time.Time
	seq     int              // for UUIDs
	stamped map[string]int64 // UUID → the queue's document stamped with it
}

func newFixture(t *testing.T, s Store) *fixture {
	t.Helper()
	cat, sig := load(t)
	f := &fixture{t: t, ctx: context.Background(), s: s, q: s.Queue(), co: sales.DemoCompany(), signer: sig, now: base,
		stamped: map[string]int64{}}
	f.admin = &sales.Companies{Store: s, Keys: s, Clock: f.clock}
	f.svc = &sales.Service{Invoices: s, Catalogs: cat, Admin: f.admin, Clock: f.clock}
	for _, c := range sales.DemoCustomers() {
		c.Normalize()
		if err := s.CreateCustomer(f.ctx, &c); err != nil {
			t.Fatalf("CreateCustomer(%s): %v", c.RFC, err)
		}
		f.cust = append(f.cust, c)
	}
	for _, p := range sales.DemoProducts() {
		if err := s.CreateProduct(f.ctx, &p); err != nil {
			t.Fatalf("CreateProduct(%s): %v", p.Code, err)
		}
		f.prod = append(f.prod, p)
	}
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// setClock sets the instant the next posts happen at.
func (f *fixture) setClock(at time.Time) {
	f.mu.Lock()
	f.now = at
	f.mu.Unlock()
}

// series creates an active series of the demo company numbering from 1.
func (f *fixture) series(serie, tipo string) sales.Series {
	f.t.Helper()
	sr := sales.Series{Issuer: f.co.RFC, Serie: serie, TipoDeComprobante: tipo, NextFolio: 1, Active: true}
	if err := f.s.CreateSeries(f.ctx, &sr); err != nil {
		f.t.Fatalf("CreateSeries(%s): %v", serie, err)
	}
	return sr
}

// nextFolio returns the next folio the store proposes for serie.
func (f *fixture) nextFolio(serie string) int64 {
	f.t.Helper()
	list, err := f.s.FindSeries(f.ctx, f.co.RFC)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, sr := range list {
		if sr.Serie == serie {
			return sr.NextFolio
		}
	}
	f.t.Fatalf("series %s not found in %+v", serie, list)
	return 0
}

// draft saves, through the service, a cash draft of one laptop for the
// first demo customer in serie; edit changes it before it is saved.
func (f *fixture) draft(serie string, edit ...func(*sales.Invoice)) sales.Invoice {
	f.t.Helper()
	c := f.cust[0]
	inv := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: serie, CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN",
		Lines: []sales.Line{sales.LineFromProduct(&f.prod[0], decimal.NewFromInt(2))}}
	for _, e := range edit {
		e(&inv)
	}
	if _, err := f.svc.SaveDraft(f.ctx, &inv); err != nil {
		f.t.Fatalf("SaveDraft: %v", err)
	}
	return inv
}

// post posts draft id through the domain's use case as the demo company.
func (f *fixture) post(id int64, o sales.PostOptions) (sales.Invoice, error) {
	return f.svc.Post(f.ctx, id, f.co, f.signer, o)
}

func (f *fixture) mustPost(id int64) sales.Invoice {
	f.t.Helper()
	inv, err := f.post(id, sales.PostOptions{})
	if err != nil {
		f.t.Fatalf("Post(%d): %v", id, err)
	}
	return inv
}

func (f *fixture) find(id int64) sales.Invoice {
	f.t.Helper()
	inv, err := f.s.FindInvoiceByID(f.ctx, id)
	if err != nil {
		f.t.Fatalf("FindInvoiceByID(%d): %v", id, err)
	}
	return inv
}

// documents returns the demo company's documents in the stamp queue.
func (f *fixture) documents() []stamping.Document {
	f.t.Helper()
	docs, err := f.q.Documents(f.ctx, f.co.RFC)
	if err != nil {
		f.t.Fatal(err)
	}
	return docs
}

// document returns the stamp queue's document of posted invoice inv, found
// by its idempotency key: among the queued ones first (what stamp looks
// for; a long history stamps thousands, so reading them all each time
// would make it quadratic).
func (f *fixture) document(inv sales.Invoice) stamping.Document {
	f.t.Helper()
	key := sales.CustomID(inv.Issuer, inv.Serie, inv.Folio)
	queued, err := f.q.Documents(f.ctx, f.co.RFC, stamping.StateQueued)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range queued {
		if d.CustomID == key {
			return d
		}
	}
	for _, d := range f.documents() {
		if d.CustomID == key {
			return d
		}
	}
	f.t.Fatalf("no queued document with customid %s", key)
	return stamping.Document{}
}

// newUUID returns a fresh upper-case UUID.
func (f *fixture) newUUID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	return fmt.Sprintf("5FB2822E-396D-4725-8521-%012X", f.seq)
}

// stamp records, through the queue, the PAC's stamp of posted invoice inv
// at instant at, and returns its UUID.
func (f *fixture) stamp(inv sales.Invoice, at time.Time) string {
	f.t.Helper()
	d := f.document(inv)
	uuid := f.newUUID()
	xml, err := cfdi.InsertTimbre(d.SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
		FechaTimbrado: at.Format(sales.FechaLayout), RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.q.MarkStamped(f.ctx, d.ID, xml, uuid, stamping.Outcome{Class: stamping.Stamped}, at); err != nil {
		f.t.Fatalf("MarkStamped: %v", err)
	}
	f.mu.Lock()
	f.stamped[uuid] = d.ID
	f.mu.Unlock()
	return uuid
}

// requestCancel records an accepted cancellation request (SAT code 201)
// of stamped invoice inv and returns the request's id.
func (f *fixture) requestCancel(inv sales.Invoice, uuid string, at time.Time) int64 {
	f.t.Helper()
	f.mu.Lock()
	docID, ok := f.stamped[uuid]
	f.mu.Unlock()
	if !ok {
		docID = f.document(inv).ID
	}
	id, err := f.q.SaveCancellation(f.ctx, stamping.Cancellation{DocumentID: docID, RequestedAt: at,
		Request: stamping.CancelRequest{IssuerRFC: inv.Issuer, UUID: uuid, Motivo: "02"},
		Receipt: stamping.CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}})
	if err != nil {
		f.t.Fatalf("SaveCancellation: %v", err)
	}
	return id
}

// cancel requests the cancellation of stamped invoice inv and records
// SAT's confirmation.
func (f *fixture) cancel(inv sales.Invoice, uuid string, at time.Time) {
	f.t.Helper()
	id := f.requestCancel(inv, uuid, at)
	if err := f.q.UpdateCancelStatus(f.ctx, id, stamping.SATStatus{Estado: "Cancelado",
		EstatusCancelacion: "Cancelado sin aceptación"}, at); err != nil {
		f.t.Fatalf("UpdateCancelStatus: %v", err)
	}
}

// wantState fails unless invoice id is in state want (and its tab).
func (f *fixture) wantState(id int64, want sales.State) sales.Invoice {
	f.t.Helper()
	got := f.find(id)
	if got.State != want || got.Status != want.Status() {
		f.t.Fatalf("invoice %d: state %s status %s, want %s (%s)", id, got.State, got.Status, want, want.Status())
	}
	return got
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
