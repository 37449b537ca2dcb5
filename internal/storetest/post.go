package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/shopspring/decimal"
)

// testDraftRoundTrip: a draft keeps every field it was saved with; saving
// it again replaces its lines; deleting it removes it.
func testDraftRoundTrip(t *testing.T, f *fixture) {
	in := f.draft("A", func(inv *sales.Invoice) {
		inv.Customer, inv.CustomerID, inv.UsoCFDI = f.cust[1], f.cust[1].ID, f.cust[1].UsoCFDI
		inv.Terms, inv.FormaPago = sales.Credito, "99"
		inv.Moneda, inv.TipoCambio = "USD", dec("17.123456")
		inv.OrderRef, inv.Notes, inv.CondicionesDePago = "OC-77", "entregar en almacén", "30 días"
		inv.Fecha = base.Add(-time.Hour)
		inv.Lines = append(inv.Lines, sales.Line{Cantidad: dec("1.5"), ClaveUnidad: "E48", ClaveProdServ: "81111500",
			Descripcion: "Servicio", ValorUnitario: dec("0.123456"), Descuento: dec("0.05"), ObjetoImp: "02",
			Taxes: sales.Taxes{IVAExento: true, RetISR: dec("0.1")}})
		inv.Relations = []sales.Relation{{TipoRelacion: "04", UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}}
	})
	got := f.find(in.ID)
	if got.State != sales.StateDraft || got.Status != sales.StatusDraft || got.Folio != 0 || got.Terms != sales.Credito ||
		got.Customer.RFC != f.cust[1].RFC || !got.TipoCambio.Equal(in.TipoCambio) || got.OrderRef != "OC-77" ||
		got.Notes != in.Notes || got.CondicionesDePago != in.CondicionesDePago || !got.Fecha.Equal(in.Fecha) ||
		len(got.Lines) != 2 || !got.Lines[1].ValorUnitario.Equal(dec("0.123456")) || !got.Lines[1].Taxes.IVAExento ||
		!got.Lines[1].Taxes.RetISR.Equal(dec("0.1")) || got.Lines[0].ProductID != f.prod[0].ID || got.Lines[1].ProductID != 0 ||
		!got.Total.Equal(in.Total) || len(got.Relations) != 1 || got.Relations[0] != in.Relations[0] {
		t.Errorf("FindInvoiceByID = %+v\nwant %+v", got, in)
	}
	if _, ok, err := f.s.FindAmounts(f.ctx, in.ID); err != nil || ok {
		t.Errorf("FindAmounts(draft) = ok %v, %v; want no amounts", ok, err)
	}
	// Editing replaces the lines and relations.
	got.Lines, got.Relations = got.Lines[:1], nil
	got.Global = &sales.Global{Periodicidad: "04", Meses: "11", Anio: "2026"}
	if err := f.s.SaveDraft(f.ctx, &got); err != nil {
		t.Fatal(err)
	}
	again := f.find(got.ID)
	if len(again.Lines) != 1 || len(again.Relations) != 0 || again.Global == nil || again.Global.Meses != "11" {
		t.Errorf("after edit = %+v", again)
	}
	if err := f.s.DeleteDraft(f.ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.FindInvoiceByID(f.ctx, got.ID); domain.KindOf(err) != domain.NotFound {
		t.Errorf("after delete: %v, want NotFound", err)
	}
	if _, _, err := f.s.FindAmounts(f.ctx, got.ID); domain.KindOf(err) != domain.NotFound {
		t.Errorf("FindAmounts after delete: %v, want NotFound", err)
	}
}

// testPostRecords: a post takes the series' next folio and records the
// sealed XML verbatim, with its stamp job, in the state the lifecycle
// decides; the posted document can be neither edited, deleted nor posted
// again.
func testPostRecords(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	d := f.draft("A")
	now := base.Add(time.Hour)
	f.setClock(now)
	inv := f.mustPost(d.ID)
	if inv.Folio != 1 || inv.State != sales.StateSealed || inv.Status != sales.StatusSealed || !inv.Fecha.Equal(now) {
		t.Errorf("Post = folio %d state %s fecha %v", inv.Folio, inv.State, inv.Fecha)
	}
	got := f.wantState(d.ID, sales.StateSealed)
	c, err := cfdi.Parse(got.SealedXML)
	if err != nil || string(got.SealedXML) != string(inv.SealedXML) || c.Serie != "A" || c.Folio != "1" ||
		got.Folio != 1 || got.FolioText() != "A-1" || !got.Fecha.Equal(now) || !got.Total.Equal(dec(c.Total)) {
		t.Errorf("stored = %d bytes (%v), folio %d, fecha %v, total %s", len(got.SealedXML), err, got.Folio, got.Fecha, got.Total)
	}
	// The stamp job was queued in the same unit of work, with the same bytes.
	doc := f.document(got)
	if string(doc.SealedXML) != string(inv.SealedXML) || doc.State != stamping.StateQueued || doc.Serie != "A" ||
		doc.Folio != "1" || doc.TipoDeComprobante != "I" || !doc.Fecha.Equal(now) {
		t.Errorf("queued document = %+v", doc)
	}
	if n := f.nextFolio("A"); n != 2 {
		t.Errorf("NextFolio = %d, want 2", n)
	}
	// A posted invoice can be neither edited, deleted nor posted again.
	got.Notes = "cambio"
	if err := f.s.SaveDraft(f.ctx, &got); domain.KindOf(err) != domain.Conflict {
		t.Errorf("SaveDraft(posted) = %v, want Conflict", err)
	}
	if err := f.s.DeleteDraft(f.ctx, got.ID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("DeleteDraft(posted) = %v, want Conflict", err)
	}
	if _, err := f.post(d.ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Post twice = %v, want Conflict", err)
	}
	if n, docs := f.nextFolio("A"), f.documents(); n != 2 || len(docs) != 1 {
		t.Errorf("after refused changes: next %d, %d documents; want 2 and 1", n, len(docs))
	}
	if again := f.find(d.ID); again.Notes != d.Notes || string(again.SealedXML) != string(inv.SealedXML) {
		t.Errorf("the posted document changed: notes %q", again.Notes)
	}
	if _, err := f.post(1<<40, sales.PostOptions{}); domain.KindOf(err) != domain.NotFound {
		t.Errorf("Post(missing) = %v, want NotFound", err)
	}
}

// failingStore is a store whose posting unit of work fails after its last
// write: everything was written, then the transaction must roll back.
type failingStore struct {
	sales.InvoiceStore
}

var errLastWrite = errors.New("the disk failed after the last write")

func (s failingStore) PostTx(ctx context.Context, fn func(tx sales.PostTx) error) error {
	return s.InvoiceStore.PostTx(ctx, func(tx sales.PostTx) error {
		return fn(failingTx{tx})
	})
}

type failingTx struct{ sales.PostTx }

func (tx failingTx) RecordPosted(ctx context.Context, p *sales.Posted) error {
	if err := tx.PostTx.RecordPosted(ctx, p); err != nil {
		return err
	}
	return errLastWrite
}

// testFailedPostLeavesNoTrace: a post that fails at its last write leaves
// the draft untouched and consumes no folio (not even the numbers an
// administrator's override would void), queues nothing and stores no
// amounts; a post that clashes with an existing stamp key does the same.
func testFailedPostLeavesNoTrace(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	if err := f.admin.SetAdminPassword(f.ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	d := f.draft("A", func(inv *sales.Invoice) {
		inv.Relations = []sales.Relation{{TipoRelacion: "04", UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}}
	})
	before := f.find(d.ID)
	untouched := func(when string) {
		t.Helper()
		got := f.find(d.ID)
		if got.State != sales.StateDraft || got.Folio != 0 || !got.Fecha.Equal(before.Fecha) || !got.Total.Equal(before.Total) ||
			!got.UpdatedAt.Equal(before.UpdatedAt) || len(got.Lines) != len(before.Lines) || len(got.SealedXML) != 0 ||
			len(got.Relations) != 1 || got.Relations[0] != before.Relations[0] {
			t.Errorf("%s: draft = %+v, want it untouched", when, got)
		}
		if _, ok, err := f.s.FindAmounts(f.ctx, d.ID); err != nil || ok {
			t.Errorf("%s: amounts stored (%v, %v)", when, ok, err)
		}
		if n, err := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); err != nil || n != 0 || f.nextFolio("A") != 1 {
			t.Errorf("%s: %d voided (%v), next %d; want none and 1", when, n, err, f.nextFolio("A"))
		}
		rows, err := f.s.FindInvoices(f.ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Status: sales.StatusSealed})
		if err != nil || len(rows) != 0 {
			t.Errorf("%s: sealed tab = %d rows, %v", when, len(rows), err)
		}
	}
	f.setClock(base.Add(time.Hour))

	// Given a unit of work that fails after its last write.
	failing := *f.svc
	failing.Invoices = failingStore{f.s}
	for _, o := range []sales.PostOptions{{}, {OverrideFolio: ptr[int64](5), AdminPassword: "clave-admin-1"}} {
		if _, err := failing.Post(f.ctx, d.ID, f.co, f.signer, o); !errors.Is(err, errLastWrite) {
			t.Fatalf("Post = %v, want the failure of the last write", err)
		}
		untouched("after a failed last write")
		if docs := f.documents(); len(docs) != 0 {
			t.Errorf("%d documents queued by a failed post", len(docs))
		}
	}

	// Given a document that already holds the stamp key folio 1 would use.
	if _, err := f.q.Post(f.ctx, stamping.NewDocument{IssuerRFC: f.co.RFC, Serie: "Z", Folio: "1", TipoDeComprobante: "I",
		Fecha: base, CustomID: sales.CustomID(f.co.RFC, "A", 1), SealedXML: []byte("<x/>")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.post(d.ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
		t.Fatalf("Post = %v; want a Conflict on the stamp key", err)
	}
	untouched("after a clash on the stamp key")
	if docs := f.documents(); len(docs) != 1 || docs[0].Serie != "Z" {
		t.Errorf("documents = %+v, want only the clashing one", docs)
	}
	// The number is still free: an administrator may take folio 2 for it
	// and the series goes on from there.
	inv, err := f.post(d.ID, sales.PostOptions{OverrideFolio: ptr[int64](2), AdminPassword: "clave-admin-1"})
	if err != nil || inv.Folio != 2 {
		t.Fatalf("Post with folio 2 = %d, %v", inv.Folio, err)
	}
	if n, _ := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); n != 1 || f.nextFolio("A") != 3 {
		t.Errorf("after the post: %d voided, next %d; want 1 and 3", n, f.nextFolio("A"))
	}
}

func ptr[T any](v T) *T { return &v }

// testConcurrentPosts posts many drafts of the same series from many
// goroutines: every folio 1..N is used exactly once, the series ends at
// N+1 and every document is queued once.
func testConcurrentPosts(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	const workers, each = 16, 15
	ids := make([]int64, workers*each)
	for i := range ids {
		ids[i] = f.draft("A").ID
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		folios []int64
		errs   []error
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids[w*each : (w+1)*each] {
				inv, err := f.post(id, sales.PostOptions{})
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					folios = append(folios, inv.Folio)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d posts failed, first: %v", len(errs), errs[0])
	}
	slices.Sort(folios)
	for i, n := range folios {
		if n != int64(i+1) {
			t.Fatalf("folios[%d] = %d, want %d (duplicate or gap): %v", i, n, i+1, folios)
		}
	}
	// What the store holds agrees: N distinct folios, each queued once.
	rows, err := f.s.FindInvoices(f.ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Status: sales.StatusSealed, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[int64]bool{}
	for _, r := range rows {
		stored[r.Folio] = true
	}
	queued := map[string]bool{}
	for _, d := range f.documents() {
		queued[d.Folio] = true
	}
	if len(rows) != len(ids) || len(stored) != len(ids) || len(queued) != len(ids) || f.nextFolio("A") != int64(len(ids)+1) {
		t.Errorf("stored %d rows, %d distinct folios, %d queued documents, next %d; want %d", len(rows), len(stored),
			len(queued), f.nextFolio("A"), len(ids))
	}
}

// testSeriesPerType: a series numbers only its own document type and only
// while active; a refused post consumes nothing.
func testSeriesPerType(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	f.series("P", sales.TipoPago)
	off := sales.Series{Issuer: f.co.RFC, Serie: "B", TipoDeComprobante: sales.TipoIngreso, NextFolio: 1}
	if err := f.s.CreateSeries(f.ctx, &off); err != nil {
		t.Fatal(err)
	}
	egreso := func(inv *sales.Invoice) { inv.TipoDeComprobante = sales.TipoEgreso }
	tests := []struct {
		name  string
		draft sales.Invoice
		want  domain.Kind
	}{
		{"I in an E series", f.draft("NC"), domain.Invalid},
		{"I in a P series", f.draft("P"), domain.Invalid},
		{"E in an I series", f.draft("A", egreso), domain.Invalid},
		{"inactive series", f.draft("B"), domain.Invalid},
		{"missing series", f.draft("Z"), domain.NotFound},
	}
	for _, tt := range tests {
		if _, err := f.post(tt.draft.ID, sales.PostOptions{}); domain.KindOf(err) != tt.want {
			t.Errorf("%s: Post = %v, want %v", tt.name, err, tt.want)
		}
		f.wantState(tt.draft.ID, sales.StateDraft)
	}
	for _, s := range []string{"A", "NC", "P", "B"} {
		if n := f.nextFolio(s); n != 1 {
			t.Errorf("series %s: next %d after refused posts, want 1", s, n)
		}
	}
	if docs := f.documents(); len(docs) != 0 {
		t.Errorf("%d documents queued by refused posts", len(docs))
	}
	// Each type in its own series numbers from 1.
	if inv := f.mustPost(f.draft("A").ID); inv.Folio != 1 {
		t.Errorf("I in A: folio %d, want 1", inv.Folio)
	}
	if inv := f.mustPost(f.draft("NC", egreso).ID); inv.Folio != 1 || inv.TipoDeComprobante != sales.TipoEgreso {
		t.Errorf("E in NC: folio %d tipo %s, want 1 and E", inv.Folio, inv.TipoDeComprobante)
	}
}

// testOverrideVoids: overriding the proposed folio needs the
// administrator's credential; moving ahead voids and counts the skipped
// numbers; a used or voided number is never taken again.
func testOverrideVoids(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	post := func(o sales.PostOptions) (sales.Invoice, error) { return f.post(f.draft("A").ID, o) }
	if _, err := post(sales.PostOptions{OverrideFolio: ptr[int64](5), AdminPassword: "clave-admin-1"}); err == nil {
		t.Errorf("override before an administrator password exists succeeded")
	}
	if err := f.admin.SetAdminPassword(f.ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	// The hash is replaced only over the one it replaces.
	hash, err := f.s.AdminPasswordHash(f.ctx)
	if err != nil || hash == "" {
		t.Fatalf("AdminPasswordHash = %q, %v", hash, err)
	}
	if swapped, err := f.s.SwapAdminPasswordHash(f.ctx, "another-hash", "x"); err != nil || swapped {
		t.Errorf("SwapAdminPasswordHash over a stale hash = %v, %v; want not swapped", swapped, err)
	}
	if again, _ := f.s.AdminPasswordHash(f.ctx); again != hash {
		t.Errorf("a refused swap changed the hash")
	}
	if _, err := post(sales.PostOptions{OverrideFolio: ptr[int64](5)}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("override without the credential = %v, want Invalid", err)
	}
	if _, err := post(sales.PostOptions{OverrideFolio: ptr[int64](5), AdminPassword: "otra-clave"}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("override with a wrong credential = %v, want Invalid", err)
	}
	if n := f.nextFolio("A"); n != 1 {
		t.Errorf("refused overrides moved the series to %d", n)
	}
	inv, err := post(sales.PostOptions{OverrideFolio: ptr[int64](5), AdminPassword: "clave-admin-1"})
	if err != nil || inv.Folio != 5 {
		t.Fatalf("override to 5 = %d, %v", inv.Folio, err)
	}
	// 1–4 were skipped: recorded as voided, and the series continues at 6.
	if v, err := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); err != nil || v != 4 {
		t.Errorf("voided = %d, %v; want 4", v, err)
	}
	if inv, err := post(sales.PostOptions{}); err != nil || inv.Folio != 6 {
		t.Errorf("next = %d, %v; want 6", inv.Folio, err)
	}
	// Reusing a used or voided number is a Conflict and voids nothing more.
	for _, n := range []int64{5, 3} {
		if _, err := post(sales.PostOptions{OverrideFolio: ptr(n), AdminPassword: "clave-admin-1"}); domain.KindOf(err) != domain.Conflict {
			t.Errorf("override to %d = %v, want Conflict", n, err)
		}
	}
	if v, _ := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); v != 4 || f.nextFolio("A") != 7 {
		t.Errorf("after refused reuse: %d voided, next %d; want 4 and 7", v, f.nextFolio("A"))
	}
	// Jumping ahead again voids the new gap; the count adds up.
	if inv, err := post(sales.PostOptions{OverrideFolio: ptr[int64](10), AdminPassword: "clave-admin-1"}); err != nil || inv.Folio != 10 {
		t.Fatalf("override to 10 = %d, %v", inv.Folio, err)
	}
	if v, _ := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); v != 7 || f.nextFolio("A") != 11 {
		t.Errorf("after a second jump: %d voided, next %d; want 7 and 11", v, f.nextFolio("A"))
	}
}

// testVoidFolio: series are unique per issuer; voiding the next number
// moves the series on; a number is voided once; numbers beyond the next
// cannot be voided (that would hide a gap).
func testVoidFolio(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	dup := sales.Series{Issuer: f.co.RFC, Serie: "A", TipoDeComprobante: sales.TipoIngreso, NextFolio: 1}
	if err := f.s.CreateSeries(f.ctx, &dup); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate series: %v, want Conflict", err)
	}
	list, err := f.s.FindSeries(f.ctx, f.co.RFC)
	if err != nil || len(list) != 2 {
		t.Fatalf("FindSeries = %+v, %v", list, err)
	}
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 1, "Hoja dañada"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 1, "otra vez"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("void twice: %v, want Conflict", err)
	}
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 5, "lejos"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("void ahead: %v, want Invalid", err)
	}
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "Z", 1, "no existe"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("void in missing series: %v, want NotFound", err)
	}
	if n := f.nextFolio("A"); n != 2 {
		t.Errorf("NextFolio after void = %d, want 2", n)
	}
	if n, err := f.s.CountVoidedFolios(f.ctx, f.co.RFC, "A"); err != nil || n != 1 {
		t.Errorf("CountVoidedFolios = %d, %v, want 1", n, err)
	}
	// A post takes the number after the voided one.
	if inv := f.mustPost(f.draft("A").ID); inv.Folio != 2 {
		t.Errorf("post after a void: folio %d, want 2", inv.Folio)
	}
	// A used number cannot be voided.
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 2, "usado"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("void a used number: %v, want Conflict", err)
	}
}

// testBatchAllOrNone: a batch with one refused document posts none of them
// and names the refused one; checking a batch stores nothing; a clean batch
// posts every document with consecutive folios, amounts and stamp jobs.
func testBatchAllOrNone(t *testing.T, f *fixture) {
	f.series("A", sales.TipoIngreso)
	c := f.cust[0]
	doc := func() sales.Invoice {
		return sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: c.ID, Customer: c,
			UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN",
			Lines: []sales.Line{sales.LineFromProduct(&f.prod[0], decimal.NewFromInt(2))}}
	}
	bad := doc()
	bad.UsoCFDI = "ZZZ"
	nothingStored := func(when string) {
		t.Helper()
		rows, err := f.s.FindInvoices(f.ctx, sales.InvoiceFilter{Issuer: f.co.RFC})
		if err != nil || len(rows) != 0 || len(f.documents()) != 0 || f.nextFolio("A") != 1 {
			t.Errorf("%s: %d invoices (%v), %d documents, next folio %d; want nothing stored", when, len(rows), err,
				len(f.documents()), f.nextFolio("A"))
		}
	}
	_, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{doc(), doc(), bad})
	var be *sales.BatchError
	if !errors.As(err, &be) || len(be.Refused) != 1 || be.Refused[2] == nil {
		t.Fatalf("PostBatch with a bad document = %v, want a BatchError naming document 2", err)
	}
	nothingStored("after a refused batch")
	if err := f.svc.CheckBatch(f.ctx, f.co, f.signer, []sales.Invoice{doc(), doc()}); err != nil {
		t.Fatalf("CheckBatch = %v", err)
	}
	nothingStored("after checking a batch")
	posted, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{doc(), doc()})
	if err != nil || len(posted) != 2 {
		t.Fatalf("PostBatch = %d documents, %v", len(posted), err)
	}
	for i, inv := range posted {
		got := f.wantState(inv.ID, sales.StateSealed)
		if got.Folio != int64(i+1) || string(got.SealedXML) != string(inv.SealedXML) || f.document(got).ID == 0 {
			t.Errorf("batch document %d: folio %d, %d sealed bytes", i, got.Folio, len(got.SealedXML))
		}
		checkAmounts(t, f, inv)
	}
	if n := f.nextFolio("A"); n != 3 {
		t.Errorf("next folio after a batch of two = %d, want 3", n)
	}
}
