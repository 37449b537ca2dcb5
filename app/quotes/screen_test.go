package quotes

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
	"github.com/folio-mx/folio/internal/wire"
)

// fixture is the demo company in a real store, the area wired as the
// window wires it (internal/gui's quotesArea) and three quotes: expired
// (number 1, Xochilt, made ten days earlier and valid three days), open
// (number 2, Xochilt) and sent (number 3, the university).
type fixture struct {
	q                   *uitest.Queue
	store               *sqlite.Store
	mails               *sqlite.MailStore
	co                  *sales.Company
	now                 time.Time
	svc                 *quotes.Service
	sales               *sales.Service
	screen              *Screen
	w                   fyne.Window
	opened              []int64 // invoices OpenInvoice showed
	expired, open, sent int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	_, uq := uitest.NewApp(t)
	ctx := context.Background()
	store := sqlite.MustOpenTest(t)
	co, err := wire.SeedDemo(ctx, store, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{q: uq, store: store, mails: sqlite.NewMailStore(store), co: co,
		now: time.Date(2026, 12, 1, 12, 0, 0, 0, domain.MexicoCity)}
	clock := func() time.Time { return f.now }
	ss := &sales.Service{Invoices: store, Catalogs: rules, Clock: clock}
	f.svc = &quotes.Service{Store: store, Clock: clock, Totals: ss}
	f.sales = ss
	editor := invoices.EditorDeps{Customers: store, Products: store, Series: store, Invoices: ss, Rules: rules, Clock: clock}
	outbox := delivery.NewOutbox(f.mails, f.mails, nil, clock, delivery.Options{})
	deps := Deps{Store: store, Editor: editor, Save: f.svc.Save, Accept: f.svc.Accept, Clock: clock,
		Facturar: func(ctx context.Context, id int64) (sales.Invoice, error) {
			return wire.FacturarQuote(ctx, store, f.svc, id)
		},
		PDF: func(ctx context.Context, id int64) (string, []byte, error) {
			qf, err := wire.QuotePDF(ctx, store, ss, id)
			return qf.Name, qf.PDF, err
		},
		Emails: func(ctx context.Context, id int64) ([]string, error) { return wire.QuoteEmails(ctx, store, id) },
		Mail: func(ctx context.Context, id int64, to []string) (string, error) {
			_, sent, err := wire.MailQuote(ctx, store, outbox, f.svc, ss, id, to)
			return "En cola para " + strings.Join(sent, ", "), err
		},
		OpenInvoice: func(id int64) { f.opened = append(f.opened, id) },
	}
	f.seed(t)
	f.screen = NewScreen(deps, co)
	f.w = test.NewWindow(f.screen)
	t.Cleanup(f.w.Close)
	f.w.Resize(fyne.NewSize(1366, 768))
	return f
}

// seed saves the three quotes through the service.
func (f *fixture) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	line := func(code, qty string) sales.Line {
		ps, err := f.store.FindProducts(ctx, sales.ProductFilter{Query: code})
		if err != nil || len(ps) == 0 {
			t.Fatalf("product %s: %v", code, err)
		}
		return sales.LineFromProduct(&ps[0], decimal.RequireFromString(qty))
	}
	cust := func(rfc string) sales.Customer {
		cs, err := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: rfc})
		if err != nil || len(cs) == 0 {
			t.Fatalf("customer %s: %v", rfc, err)
		}
		return cs[0]
	}
	save := func(c sales.Customer, days int, lines ...sales.Line) int64 {
		q := quotes.Quote{Issuer: f.co.RFC, ValidUntil: quotes.Day(f.now).AddDate(0, 0, days),
			Doc: sales.Invoice{CustomerID: c.ID, Customer: c, Moneda: "MXN", Terms: sales.Contado, UsoCFDI: c.UsoCFDI, FormaPago: "03", Lines: lines}}
		if err := f.svc.Save(ctx, &q); err != nil {
			t.Fatal(err)
		}
		return q.ID
	}
	today := f.now
	f.now = today.AddDate(0, 0, -10)
	f.expired = save(cust("CACX7605101P8"), 3, line("MOU-01", "4"))
	f.now = today
	f.open = save(cust("CACX7605101P8"), 15, line("LAP-14", "1"), line("MOU-01", "2"))
	f.sent = save(cust("URE180429TM6"), 15, line("SRV-CONS", "10"))
	if err := f.svc.MarkSent(ctx, f.sent); err != nil {
		t.Fatal(err)
	}
}

// list reloads the list and waits for its rows.
func (f *fixture) reload(t *testing.T) *QuoteList {
	t.Helper()
	l := f.screen.list
	gen := l.gen
	l.Reload()
	f.q.RunUntil(t, "the list's rows", func() bool { return l.gen > gen && strings.Contains(l.status.Text, "Cotizaciones mostradas") })
	return l
}

// ids returns the quote ids of the list's rows, in order.
func ids(l *QuoteList) []int64 {
	var out []int64
	for _, r := range l.rows {
		out = append(out, r.id)
	}
	return out
}

// pick selects the row of quote id.
func pick(t *testing.T, l *QuoteList, id int64) row {
	t.Helper()
	for i, r := range l.rows {
		if r.id == id {
			l.table.Select(widget.TableCellID{Row: i, Col: 0})
			return r
		}
	}
	t.Fatalf("quote %d not in the list", id)
	return row{}
}

// TestQuoteListTabsAndSearch: each tab shows the quotes in that status
// (vencida derived from today's date), the search finds a customer's, the
// dates bound them, and the actions follow the selected quote's status.
func TestQuoteListTabsAndSearch(t *testing.T) {
	f := newFixture(t)
	l := f.reload(t)
	expired, open, sent := f.expired, f.open, f.sent
	if got := ids(l); !slices.Equal(got, []int64{sent, open, expired}) {
		t.Fatalf("Todas = %v, want %v", got, []int64{sent, open, expired})
	}
	for i, tc := range []struct {
		want   []int64
		status string
	}{
		{[]int64{sent, open, expired}, ""},
		{[]int64{open}, "Abierta"},
		{[]int64{sent}, "Enviada"},
		{nil, "Aceptada"},
		{[]int64{expired}, "Vencida"},
		{nil, "Facturada"},
	} {
		l.tabs.SetSelectedIndex(i)
		f.reload(t)
		if got := ids(l); !slices.Equal(got, tc.want) {
			t.Errorf("tab %s = %v, want %v", Tabs[i].Title, got, tc.want)
		}
		for _, r := range l.rows {
			if tc.status != "" && r.status != tc.status {
				t.Errorf("tab %s shows a quote %s", Tabs[i].Title, r.status)
			}
		}
	}
	l.tabs.SetSelectedIndex(0)
	l.search.SetText("robotica")
	f.reload(t)
	if got := ids(l); !slices.Equal(got, []int64{sent}) {
		t.Errorf("search robotica = %v, want %v", got, []int64{sent})
	}
	// 10 h × 850.00 + IVA 1,360.00 − ret. IVA 906.67 − ret. ISR 850.00.
	r := l.rows[0]
	if r.total != "$8,103.33 MXN" || !strings.Contains(r.cliente, "URE180429TM6") || r.until != "16/12/2026" {
		t.Errorf("row %+v", r)
	}
	l.search.SetText("")
	l.from.SetText("30/11/2026")
	f.reload(t)
	if got := ids(l); !slices.Equal(got, []int64{sent, open}) {
		t.Errorf("from 30/11/2026 = %v, want %v", got, []int64{sent, open})
	}
	l.from.SetText("")
	f.reload(t)

	// Actions as each status allows them.
	for _, tc := range []struct {
		id                                   int64
		edit, mail, accept, invoice, openInv bool
	}{
		{open, true, true, true, false, false},
		{sent, true, true, true, false, false},
		{expired, true, false, false, false, false},
	} {
		pick(t, l, tc.id)
		got := []bool{!l.btnEdit.Disabled(), !l.btnMail.Disabled(), !l.btnAccept.Disabled(), !l.btnInvoice.Disabled(), !l.btnOpenInvoice.Disabled()}
		if want := []bool{tc.edit, tc.mail, tc.accept, tc.invoice, tc.openInv}; !slices.Equal(got, want) {
			t.Errorf("quote %d actions (editar, correo, aceptar, facturar, abrir factura) = %v, want %v", tc.id, got, want)
		}
		if l.btnPDF.Disabled() {
			t.Errorf("quote %d: PDF disabled", tc.id)
		}
	}

	// Editar opens the quote in the editor; Volver returns to the list.
	pick(t, l, open)
	test.Tap(l.btnEdit)
	f.q.RunUntil(t, "the editor", func() bool { return f.screen.editor != nil })
	if q, ok := f.screen.editor.Quote(); !ok || q.ID != open {
		t.Errorf("editor shows quote %d, want %d", q.ID, open)
	}
	test.Tap(f.screen.back)
	if f.screen.editor != nil {
		t.Error("Volver a la lista left the editor")
	}
}

// TestQuoteMailAcceptInvoice: "Enviar por correo…" proposes the customer's
// addresses and queues the quote's PDF in the outbox, and the quote shows
// enviada; "Aceptar" (confirmed) makes it aceptada; "Facturar" creates
// the invoice draft with the same lines and customer, linked both ways,
// and opens it; then "Abrir factura" opens it again.
func TestQuoteMailAcceptInvoice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	open := f.open
	l := f.reload(t)

	pick(t, l, open)
	test.Tap(l.btnMail)
	f.q.RunUntil(t, "the customer's addresses", func() bool { return l.mail != nil && l.mail.para.Text != "" })
	if l.mail.para.Text != "xochilt.casas@example.com" {
		t.Errorf("Para = %q, want the customer's address", l.mail.para.Text)
	}
	l.mail.para.SetText("xochilt.casas@example.com, compras@example.com")
	test.Tap(l.mail.send)
	f.q.RunUntil(t, "queued", func() bool {
		return strings.Contains(l.status.Text, "En cola para") && strings.Contains(l.status.Text, "mostradas")
	})
	d, err := f.mails.Delivery(ctx, 1)
	if err != nil || strings.Join(d.To, ",") != "xochilt.casas@example.com,compras@example.com" || !strings.Contains(d.Subject, "Cotización 2") {
		t.Fatalf("delivery %+v: %v", d, err)
	}
	att, err := f.mails.Attachments(ctx, d.ID)
	if err != nil || len(att) != 1 || att[0].Name != "cotizacion-2_CACX7605101P8.pdf" || !bytes.HasPrefix(att[0].Data, []byte("%PDF")) {
		t.Fatalf("attachments %+v: %v", att, err)
	}
	r := pick(t, l, open)
	if r.status != "Enviada" {
		t.Errorf("after the e-mail the quote shows %q, want Enviada", r.status)
	}

	// Aceptar asks first; Marcar aceptada records it.
	test.Tap(l.btnAccept)
	top := f.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation")
	}
	confirm := findButton(top, "Marcar aceptada")
	if confirm == nil {
		t.Fatal("the confirmation has no Marcar aceptada")
	}
	test.Tap(confirm)
	f.q.RunUntil(t, "accepted", func() bool { return strings.Contains(l.status.Text, "Cotización aceptada") })
	r = pick(t, l, open)
	if r.status != "Aceptada" || l.btnInvoice.Disabled() || !l.btnEdit.Disabled() || !l.btnMail.Disabled() {
		t.Fatalf("accepted row %q: facturar %v editar %v", r.status, !l.btnInvoice.Disabled(), !l.btnEdit.Disabled())
	}

	// Facturar makes the draft and opens it.
	test.Tap(l.btnInvoice)
	f.q.RunUntil(t, "invoice opened", func() bool { return len(f.opened) == 1 })
	inv, err := f.store.FindInvoiceByID(ctx, f.opened[0])
	if err != nil {
		t.Fatal(err)
	}
	q, _ := f.store.FindQuote(ctx, open)
	// 15,999.00 + 2 × 349.50 = 16,698.00 + IVA 2,671.68: the list's total is stored with the draft.
	if inv.State != sales.StateDraft || inv.CustomerID != q.Doc.CustomerID || len(inv.Lines) != 2 || inv.Serie == "" || inv.Total.String() != "19369.68" {
		t.Fatalf("draft: state %s customer %d lines %d serie %q total %s", inv.State, inv.CustomerID, len(inv.Lines), inv.Serie, inv.Total)
	}
	for i, ln := range inv.Lines {
		want := q.Doc.Lines[i]
		if ln.NoIdentificacion != want.NoIdentificacion || !ln.Cantidad.Equal(want.Cantidad) || !ln.ValorUnitario.Equal(want.ValorUnitario) {
			t.Errorf("line %d: %s × %s at %s, want %s × %s at %s", i, ln.Cantidad, ln.NoIdentificacion, ln.ValorUnitario, want.Cantidad, want.NoIdentificacion, want.ValorUnitario)
		}
	}
	if q.Status != quotes.Invoiced || q.InvoiceID != inv.ID {
		t.Errorf("quote after Facturar: %s invoice %d, want facturada %d", q.Status, q.InvoiceID, inv.ID)
	}
	if back, found, err := f.store.QuoteOfInvoice(ctx, inv.ID); err != nil || !found || back.ID != open {
		t.Errorf("QuoteOfInvoice = %d %v %v", back.ID, found, err)
	}
	f.q.RunUntil(t, "the list after Facturar", func() bool {
		return strings.Contains(l.status.Text, "Factura borrador creada") && strings.Contains(l.status.Text, "mostradas")
	})
	r = pick(t, l, open)
	if r.status != "Facturada" || l.btnOpenInvoice.Disabled() || !l.btnInvoice.Disabled() {
		t.Fatalf("facturada row %q: abrir factura %v facturar %v", r.status, !l.btnOpenInvoice.Disabled(), !l.btnInvoice.Disabled())
	}
	test.Tap(l.btnOpenInvoice)
	if len(f.opened) != 2 || f.opened[1] != inv.ID {
		t.Errorf("Abrir factura opened %v, want %d", f.opened, inv.ID)
	}

	// The vencida quote cannot be mailed even when asked directly.
	l.Mail(f.expired, []string{"alguien@example.com"})
	f.q.RunUntil(t, "refused", func() bool { return strings.Contains(l.status.Text, "venció") })
	if _, err := f.mails.Delivery(ctx, 2); err == nil {
		t.Error("a vencida quote was queued")
	}
}

// findButton returns the button labelled text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var kids []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		kids = c.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(c).Objects()
	}
	for _, k := range kids {
		if b := findButton(k, text); b != nil {
			return b
		}
	}
	return nil
}

// TestQuoteListFollowsChanges: the list's Factura column says "Creada"
// while the quote's invoice is a draft and its serie-folio once posted;
// the list reloads on its own when a document of its company changes (an
// event of another company is ignored), as the other lists do.
func TestQuoteListFollowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.svc.Accept(ctx, f.sent); err != nil {
		t.Fatal(err)
	}
	draft, err := wire.FacturarQuote(ctx, f.store, f.svc, f.sent)
	if err != nil {
		t.Fatal(err)
	}
	l := f.reload(t)
	if r := pick(t, l, f.sent); r.invoice != "Creada" {
		t.Fatalf("Factura of a quote whose invoice is a draft: %q, want Creada", r.invoice)
	}
	signer, err := wire.CompanySigner(ctx, f.store, f.co.RFC)
	if err != nil {
		t.Fatal(err)
	}
	posted, err := f.sales.Post(ctx, draft.ID, f.co, signer, sales.PostOptions{})
	if err != nil {
		t.Fatal(err)
	}

	gen := l.gen
	f.screen.Changed([]event.Event{{Kind: event.DocumentPosted, IssuerRFC: "XAXX010101000"}})
	if l.gen != gen {
		t.Error("an event of another company reloaded the list")
	}
	f.screen.Changed([]event.Event{{Kind: event.DocumentPosted, IssuerRFC: f.co.RFC, DocumentID: posted.ID}})
	f.q.RunUntil(t, "the list follows the posting", func() bool {
		for _, r := range l.rows {
			if r.id == f.sent {
				return r.invoice == posted.FolioText()
			}
		}
		return false
	})
	if posted.FolioText() == "" {
		t.Fatal("the posted invoice has no folio")
	}
}
