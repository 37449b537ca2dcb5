package sqlite

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/stamping"
)

// draftFor returns a cash draft for customer c in series serie.
func draftFor(c sales.Customer, serie string) sales.Invoice {
	p := sales.DemoProducts()[0]
	return sales.Invoice{Issuer: testIssuer, TipoDeComprobante: "I", Serie: serie, CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN",
		Lines: []sales.Line{sales.LineFromProduct(&p, dec("2"))}, Total: dec("37117.68")}
}

func mustSaveDraft(tb testing.TB, s *Store, inv sales.Invoice) sales.Invoice {
	tb.Helper()
	if err := s.SaveDraft(context.Background(), &inv); err != nil {
		tb.Fatalf("SaveDraft: %v", err)
	}
	return inv
}

// postDraft posts draft id through the domain's use case (sales.Service)
// as the demo company at instant now, with the demo CSD.
func postDraft(tb testing.TB, s *Store, id int64, o sales.PostOptions, now time.Time) (sales.Invoice, error) {
	tb.Helper()
	svc := &sales.Service{Invoices: s, Catalogs: testCatalogs(tb), Admin: s, Clock: func() time.Time { return now }}
	return svc.Post(context.Background(), id, sales.DemoCompany(), demoSigner(tb), o)
}

var (
	testCatsOnce sync.Once
	testCats     *sat.Catalogs
	testCatsErr  error
)

func testCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	testCatsOnce.Do(func() { testCats, testCatsErr = sat.NewCatalogs(assets.Catalogs) })
	if testCatsErr != nil {
		tb.Fatal(testCatsErr)
	}
	return testCats
}

func demoSigner(tb testing.TB) *csd.CSD {
	tb.Helper()
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, salesClock)
	if err != nil {
		tb.Fatal(err)
	}
	return signer
}

func TestDraftRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	p := sales.DemoProducts()[0]
	if err := s.CreateProduct(ctx, &p); err != nil {
		t.Fatal(err)
	}
	in := draftFor(c, "A")
	in.Lines[0].ProductID = p.ID
	in.Terms, in.FormaPago = sales.Credito, "99"
	in.Moneda, in.TipoCambio = "USD", dec("17.123456")
	in.OrderRef, in.Notes, in.CondicionesDePago = "OC-77", "entregar en almacén", "30 días"
	in.Lines = append(in.Lines, sales.Line{Cantidad: dec("1.5"), ClaveUnidad: "E48", ClaveProdServ: "81111500",
		Descripcion: "Servicio", ValorUnitario: dec("0.123456"), Descuento: dec("0.05"), ObjetoImp: "02",
		Taxes: sales.Taxes{IVAExento: true, RetISR: dec("0.1")}})
	inv := mustSaveDraft(t, s, in)
	got, err := s.FindInvoiceByID(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != sales.StatusDraft || got.Folio != 0 || got.Terms != sales.Credito || got.Customer.RFC != c.RFC ||
		!got.TipoCambio.Equal(in.TipoCambio) || got.OrderRef != "OC-77" || len(got.Lines) != 2 ||
		!got.Lines[1].ValorUnitario.Equal(dec("0.123456")) || !got.Lines[1].Taxes.IVAExento ||
		!got.Lines[1].Taxes.RetISR.Equal(dec("0.1")) || got.Lines[0].ProductID == 0 || got.Lines[1].ProductID != 0 ||
		!got.Total.Equal(in.Total) {
		t.Errorf("FindInvoiceByID = %+v", got)
	}
	// Editing replaces the lines.
	got.Lines = got.Lines[:1]
	got.Global = &sales.Global{Periodicidad: "04", Meses: "11", Anio: "2026"}
	if err := s.SaveDraft(ctx, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindInvoiceByID(ctx, got.ID)
	if len(again.Lines) != 1 || again.Global == nil || again.Global.Meses != "11" {
		t.Errorf("after edit = %+v", again)
	}
	if err := s.DeleteDraft(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindInvoiceByID(ctx, got.ID); domain.KindOf(err) != domain.NotFound {
		t.Errorf("after delete: %v, want NotFound", err)
	}
}

func TestPostAssignsFolioAndStoresXML(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	now := salesClock.Add(time.Hour)
	inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Folio != 1 || inv.State != sales.StateSealed || inv.Status != sales.StatusSealed || !inv.Fecha.Equal(now) {
		t.Errorf("Post = folio %d state %s fecha %v", inv.Folio, inv.State, inv.Fecha)
	}
	got, _ := s.FindInvoiceByID(ctx, d.ID)
	c2, err := cfdi.Parse(got.SealedXML)
	if err != nil || c2.Serie != "A" || c2.Folio != "1" || got.Folio != 1 || got.FolioText() != "A-1" || got.State != sales.StateSealed {
		t.Errorf("stored = %d bytes (%v) folio %d state %s", len(got.SealedXML), err, got.Folio, got.State)
	}
	// A posted invoice can be neither edited, deleted nor posted again.
	got.Notes = "cambio"
	if err := s.SaveDraft(ctx, &got); domain.KindOf(err) != domain.Conflict {
		t.Errorf("SaveDraft(posted) = %v, want Conflict", err)
	}
	if err := s.DeleteDraft(ctx, got.ID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("DeleteDraft(posted) = %v, want Conflict", err)
	}
	if _, err := postDraft(t, s, d.ID, sales.PostOptions{}, now); domain.KindOf(err) != domain.Conflict {
		t.Errorf("Post twice = %v, want Conflict", err)
	}
}

func TestFailedPostConsumesNoFolio(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	// Given the post fails at its last write, after the folio was taken: a
	// document already holds the stamp key that folio 1 would use.
	q := NewStampStore(s)
	if _, err := q.Post(ctx, stamping.NewDocument{IssuerRFC: testIssuer, Serie: "Z", Folio: "1", TipoDeComprobante: "I",
		Fecha: salesClock, CustomID: sales.CustomID(testIssuer, "A", 1), SealedXML: []byte("<x/>")}); err != nil {
		t.Fatal(err)
	}
	if _, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock); err == nil {
		t.Fatal("Post succeeded; want the clash on the stamp key")
	}
	// Then the draft is intact and no folio was consumed.
	got, _ := s.FindInvoiceByID(ctx, d.ID)
	if got.State != sales.StateDraft || got.Folio != 0 {
		t.Errorf("after failed post: state %s folio %d", got.State, got.Folio)
	}
	var taken int
	s.ReadDB().QueryRow(`SELECT count(*) FROM folios WHERE serie = 'A'`).Scan(&taken)
	list, _ := s.FindSeries(ctx, testIssuer)
	if taken != 0 || list[0].NextFolio != 1 {
		t.Errorf("after failed post: %d folios taken, next %d; want 0 and 1", taken, list[0].NextFolio)
	}
}

func TestPostOverrideFolio(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	post := func(o sales.PostOptions) (sales.Invoice, error) {
		d := mustSaveDraft(t, s, draftFor(c, "A"))
		return postDraft(t, s, d.ID, o, salesClock)
	}
	n := func(v int64) *int64 { return &v }
	if err := s.SetAdminPassword(ctx, "", "clave-admin-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := post(sales.PostOptions{OverrideFolio: n(5)}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("override without the credential = %v, want Invalid", err)
	}
	if _, err := post(sales.PostOptions{OverrideFolio: n(5), AdminPassword: "otra"}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("override with a wrong credential = %v, want Invalid", err)
	}
	inv, err := post(sales.PostOptions{OverrideFolio: n(5), AdminPassword: "clave-admin-1"})
	if err != nil || inv.Folio != 5 {
		t.Fatalf("override to 5 = %d, %v", inv.Folio, err)
	}
	// 1–4 were skipped: recorded as voided, and the series continues at 6.
	if v, _ := s.CountVoidedFolios(ctx, testIssuer, "A"); v != 4 {
		t.Errorf("voided = %d, want 4", v)
	}
	if inv, err := post(sales.PostOptions{}); err != nil || inv.Folio != 6 {
		t.Errorf("next = %d, %v; want 6", inv.Folio, err)
	}
	// Reusing a used or voided number is a Conflict.
	for _, f := range []int64{5, 3} {
		if _, err := post(sales.PostOptions{OverrideFolio: n(f), AdminPassword: "clave-admin-1"}); domain.KindOf(err) != domain.Conflict {
			t.Errorf("override to %d = %v, want Conflict", f, err)
		}
	}
	// A series of another document type is refused.
	d := mustSaveDraft(t, s, draftFor(c, "NC"))
	if _, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock); domain.KindOf(err) != domain.Invalid {
		t.Errorf("post I in an E series = %v, want Invalid", err)
	}
}

// TestConcurrentPostsNeverDuplicate posts many drafts of the same series from
// many goroutines on a real database file: every folio 1..N is used exactly
// once and the series ends at N+1.
func TestConcurrentPostsNeverDuplicate(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	const workers, each = 16, 15
	ids := make([]int64, workers*each)
	for i := range ids {
		ids[i] = mustSaveDraft(t, s, draftFor(c, "A")).ID
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
				inv, err := postDraft(t, s, id, sales.PostOptions{}, salesClock)
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
	sort.Slice(folios, func(i, j int) bool { return folios[i] < folios[j] })
	for i, f := range folios {
		if f != int64(i+1) {
			t.Fatalf("folios[%d] = %d, want %d (duplicate or gap): %v", i, f, i+1, folios)
		}
	}
	// What the database holds agrees: N distinct folios, each with its XML.
	var n, distinct, xml int
	s.ReadDB().QueryRow(`SELECT count(*), count(DISTINCT folio) FROM invoices WHERE serie = 'A' AND status = 'sealed'`).Scan(&n, &distinct)
	s.ReadDB().QueryRow(`SELECT count(*) FROM documents d JOIN stamp_jobs j ON j.document_id = d.id`).Scan(&xml)
	list, _ := s.FindSeries(ctx, testIssuer)
	if n != len(ids) || distinct != len(ids) || xml != len(ids) || list[0].NextFolio != int64(len(ids)+1) {
		t.Errorf("stored %d rows, %d distinct folios, %d queued documents, next %d; want %d", n, distinct, xml, list[0].NextFolio, len(ids))
	}
}

func TestFindInvoicesPaging(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	var customers []sales.Customer
	for _, c := range sales.DemoCustomers() {
		customers = append(customers, mustCreateCustomer(t, s, c))
	}
	// 30 drafts, one per hour, rotating customers; the even ones posted.
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	var posted []sales.Invoice
	for i := range 30 {
		d := draftFor(customers[i%2], "A")
		d.Fecha = start.Add(time.Duration(i) * time.Hour)
		d = mustSaveDraft(t, s, d)
		if i%2 == 0 {
			inv, err := postDraft(t, s, d.ID, sales.PostOptions{}, d.Fecha)
			if err != nil {
				t.Fatal(err)
			}
			posted = append(posted, inv)
		}
	}
	// Keyset pages of 4 over the sealed tab cover the 15 rows newest first,
	// without repeats.
	var seen []int64
	f := sales.InvoiceFilter{Issuer: testIssuer, Status: sales.StatusSealed, Limit: 4}
	for page := 0; ; page++ {
		rows, err := s.FindInvoices(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			if len(seen) > 0 && r.Folio >= seen[len(seen)-1] {
				t.Fatalf("page %d not newest first: %d after %v", page, r.Folio, seen)
			}
			seen = append(seen, r.Folio)
		}
		f.After = rows[len(rows)-1].Cursor()
	}
	if len(seen) != 15 || seen[0] != 15 || seen[14] != 1 {
		t.Errorf("paged folios = %v", seen)
	}
	count := func(f sales.InvoiceFilter) int {
		t.Helper()
		f.Issuer, f.Limit = testIssuer, 500
		rows, err := s.FindInvoices(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	tests := []struct {
		name string
		f    sales.InvoiceFilter
		want int
	}{
		{"all", sales.InvoiceFilter{}, 30},
		{"drafts", sales.InvoiceFilter{Status: sales.StatusDraft}, 15},
		{"stamped", sales.InvoiceFilter{Status: sales.StatusStamped}, 0},
		{"date range", sales.InvoiceFilter{From: start.Add(10 * time.Hour), To: start.Add(20 * time.Hour)}, 10},
		{"folio with serie", sales.InvoiceFilter{Search: "A-7"}, 1},
		{"folio alone", sales.InvoiceFilter{Search: "7"}, 1},
		{"folio lower case", sales.InvoiceFilter{Search: "a-7"}, 1},
		{"folio other serie", sales.InvoiceFilter{Search: "B-7"}, 0},
		{"customer name", sales.InvoiceFilter{Search: "xochilt"}, 15},
		{"customer rfc", sales.InvoiceFilter{Search: "URE18"}, 15},
		{"customer name in tab", sales.InvoiceFilter{Search: "casas", Status: sales.StatusSealed}, 15},
		{"unknown name", sales.InvoiceFilter{Search: "nadie"}, 0},
		{"uuid absent", sales.InvoiceFilter{Search: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := count(tt.f); got != tt.want {
				t.Errorf("FindInvoices(%+v) = %d rows, want %d", tt.f, got, tt.want)
			}
		})
	}
	// UUID search finds a stamped invoice.
	if _, err := s.WriteDB().Exec(`UPDATE invoices SET status = 'stamped', uuid = '5FB2822E-396D-4725-8521-CDC4BDD20CCF' WHERE id = ?`, posted[3].ID); err != nil {
		t.Fatal(err)
	}
	if got := count(sales.InvoiceFilter{Search: "5fb2822e-396d-4725-8521-cdc4bdd20ccf"}); got != 1 {
		t.Errorf("uuid search = %d rows, want 1", got)
	}
}

// TestInvoiceListUsesIndexes checks the query plan of every kind of list
// page: no full scan of invoices and no sort of the whole result.
func TestInvoiceListUsesIndexes(t *testing.T) {
	s := openSalesStore(t)
	if err := s.SeedInvoices(context.Background(), SeedOptions{Issuer: testIssuer, Invoices: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	filters := map[string]sales.InvoiceFilter{
		"tab":             {Status: sales.StatusStamped},
		"tab dates":       {Status: sales.StatusSealed, From: day, To: day.AddDate(0, 1, 0)},
		"tab keyset":      {Status: sales.StatusStamped, After: &sales.InvoiceCursor{Fecha: day, ID: 10}},
		"all dates":       {From: day, To: day.AddDate(0, 1, 0)},
		"all keyset":      {After: &sales.InvoiceCursor{Fecha: day, ID: 10}},
		"customer name":   {Search: "garcia"},
		"customer rfc":    {Search: "ABCD"},
		"customer in tab": {Search: "garcia", Status: sales.StatusCancelled},
		"few customers":   {Search: "comercializadora"},
		"one customer":    {Search: "ferreteria 12"},
		"folio":           {Search: "A-77"},
		"folio alone":     {Search: "77"},
		"uuid":            {Search: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			f.Issuer = testIssuer
			var cust customerMatch
			if isCustomerSearch(f.Search) {
				var err error
				if cust, err = matchCustomers(context.Background(), s.ReadDB(), f.Search); err != nil {
					t.Fatal(err)
				}
			}
			query, args, _ := invoiceListQuery(f, cust)
			if query == "" {
				return
			}
			rows, err := s.ReadDB().Query("EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			t.Logf("%s: %q", name, plan)
			for _, d := range plan {
				if d == "SCAN invoices" || d == "SCAN customers" {
					t.Errorf("full scan in plan: %q", plan)
				}
			}
		})
	}
}

// TestPostBatchAllOrNothing: a batch with one refused document posts none
// of them and names the refused one with its problem; a clean batch posts
// every document with consecutive folios.
func TestPostBatchAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	svc := &sales.Service{Invoices: s, Catalogs: testCatalogs(t), Clock: func() time.Time { return salesClock }}
	good := draftFor(c, "A")
	bad := draftFor(c, "A")
	bad.UsoCFDI = "ZZZ"
	_, err := svc.PostBatch(ctx, sales.DemoCompany(), demoSigner(t), []sales.Invoice{good, good, bad})
	var be *sales.BatchError
	if !errors.As(err, &be) || len(be.Refused) != 1 || be.Refused[2] == nil {
		t.Fatalf("PostBatch with a bad document = %v, want a BatchError naming document 2", err)
	}
	var n int
	s.ReadDB().QueryRow(`SELECT (SELECT count(*) FROM invoices) + (SELECT count(*) FROM documents) + (SELECT count(*) FROM folios)`).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused batch left %d rows", n)
	}
	posted, err := svc.PostBatch(ctx, sales.DemoCompany(), demoSigner(t), []sales.Invoice{good, good})
	if err != nil || len(posted) != 2 || posted[0].Folio != 1 || posted[1].Folio != 2 || posted[1].State != sales.StateSealed {
		t.Fatalf("PostBatch = %+v, %v; want folios 1 and 2 sealed", posted, err)
	}
}
