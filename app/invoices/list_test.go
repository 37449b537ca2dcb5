package invoices

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// fakeStore serves n rows newest first with keyset paging and records the
// filters it was asked for.
type fakeStore struct {
	mu      sync.Mutex
	rows    []sales.InvoiceRow
	filters []sales.InvoiceFilter
}

func newFakeStore(n int) *fakeStore {
	s := &fakeStore{}
	t0 := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for i := range n {
		s.rows = append(s.rows, sales.InvoiceRow{ID: int64(n - i), State: sales.StateStamped, Status: sales.StatusStamped, Serie: "A", Folio: int64(n - i),
			Fecha: t0.Add(-time.Duration(i) * time.Hour), CustomerRFC: "URE180429TM6", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
			Moneda: "MXN", Total: decimal.RequireFromString("1234567.5"), UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"})
	}
	return s
}

func (s *fakeStore) FindInvoices(_ context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filters = append(s.filters, f)
	var out []sales.InvoiceRow
	for _, r := range s.rows {
		if f.After != nil && !r.Fecha.Before(f.After.Fecha) {
			continue
		}
		if len(out) == f.Limit {
			break
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *fakeStore) lastFilter() sales.InvoiceFilter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filters[len(s.filters)-1]
}

func TestInvoiceListPaging(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := newFakeStore(250)
	l := NewInvoiceList(store, "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()

	l.Reload()
	q.RunUntil(t, "first page", func() bool { return len(l.rows) == PageSize })
	if r := l.rows[0]; r.num != "A-250" || r.total != "$1,234,567.50 MXN" || r.st != "Emitida" || r.fecha != "25/11/2026 12:00" ||
		r.cfdi != "TFD" || r.cliente != "URE180429TM6 — UNIVERSIDAD ROBOTICA ESPAÑOLA" {
		t.Errorf("first row = %+v", r)
	}
	if f := store.lastFilter(); f.Status != "" || f.Issuer != "EKU9003173C9" || f.After != nil {
		t.Errorf("filter = %+v", f)
	}
	// "Cargar más" continues after the last row, until the end.
	test.Tap(l.more)
	q.RunUntil(t, "second page", func() bool { return len(l.rows) == 2*PageSize })
	if f := store.lastFilter(); f.After == nil || f.After.ID != 151 {
		t.Errorf("second page cursor = %+v", f.After)
	}
	test.Tap(l.more)
	q.RunUntil(t, "last page", func() bool { return len(l.rows) == 250 })
	if !l.more.Disabled() || l.rows[249].num != "A-1" {
		t.Errorf("after the end: more disabled %v, last %+v", l.more.Disabled(), l.rows[249])
	}

	// Changing tab, search and dates reloads from the top with those filters.
	l.tabs.SetSelectedIndex(1)
	q.RunUntil(t, "drafts tab", func() bool { return store.lastFilter().Status == sales.StatusDraft })
	q.RunUntil(t, "drafts loaded", func() bool { return !l.loading })
	l.search.SetText("A-12")
	l.from.SetText("01/11/2026")
	l.to.SetText("30/11/2026")
	l.Reload()
	q.RunUntil(t, "filtered", func() bool { return store.lastFilter().Search == "A-12" })
	// Let the load finish here: a result applied after the test ends would
	// touch the next test's app.
	q.RunUntil(t, "filtered rows", func() bool { return !l.loading })
	f := store.lastFilter()
	if f.From.Format(time.DateOnly) != "2026-11-01" || f.To.Format(time.DateOnly) != "2026-12-01" || f.After != nil {
		t.Errorf("dates = %v – %v, after %v", f.From, f.To, f.After)
	}
	// A bad date is reported and nothing is asked of the store.
	n := len(store.filters)
	l.from.SetText("2026-11-01")
	l.Reload()
	if l.status.Text != "Escriba las fechas como dd/mm/aaaa." || len(store.filters) != n {
		t.Errorf("bad date: status %q, %d queries", l.status.Text, len(store.filters)-n)
	}
	// A day that does not exist is not a badly written one: the message
	// says so (issue "A window that tells the truth").
	l.from.SetText("31/02/2026")
	l.Reload()
	if want := "La fecha 31/02/2026 no existe en el calendario; revise el día y el mes."; l.status.Text != want || len(store.filters) != n {
		t.Errorf("31/02/2026: status %q, want %q; %d queries", l.status.Text, want, len(store.filters)-n)
	}
}

func TestPeriodRange(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC) // Wednesday, 14:00 in Mexico City
	tests := []struct {
		i        int
		from, to string
		ok       bool
	}{
		{0, "", "", false},
		{1, "25/11/2026", "25/11/2026", true},
		{2, "23/11/2026", "25/11/2026", true},
		{3, "01/11/2026", "30/11/2026", true},
		{4, "", "", false},
	}
	for _, tt := range tests {
		from, to, ok := periodRange(tt.i, now)
		if from != tt.from || to != tt.to || ok != tt.ok {
			t.Errorf("periodRange(%s) = %q, %q, %v; want %q, %q, %v", Periods[tt.i], from, to, ok, tt.from, tt.to, tt.ok)
		}
	}
}

func TestCFDIColumn(t *testing.T) {
	tests := []struct {
		name string
		row  sales.InvoiceRow
		want string
	}{
		{"sealed, not stamped", sales.InvoiceRow{State: sales.StateSealed, Status: sales.StatusSealed}, "---"},
		{"stamped", sales.InvoiceRow{State: sales.StateStamped, Status: sales.StatusStamped, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}, "TFD"},
		{"stamped and printed", sales.InvoiceRow{State: sales.StateStamped, Status: sales.StatusStamped, UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Printed: true}, "PDF"},
		{"printed before stamping", sales.InvoiceRow{State: sales.StateSealed, Status: sales.StatusSealed, Printed: true}, "---"},
	}
	for _, tt := range tests {
		if got := formatRow(tt.row); got.cfdi != tt.want {
			t.Errorf("%s: CFDI = %q, want %q", tt.name, got.cfdi, tt.want)
		}
	}
	if r := formatRow(sales.InvoiceRow{State: sales.StateCancelled, Status: sales.StatusCancelled}); !r.cancelled {
		t.Error("a cancelled row must be marked for red")
	}
}

func TestInvoiceListOpensEditor(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(newFakeStore(3), "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 600))
	var news int
	var opened []int64
	l.OnNew = func() { news++ }
	l.OnOpen = func(id int64) { opened = append(opened, id) }

	test.Tap(l.newInvoice)
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 3 })
	if !l.btnOpen.Disabled() {
		t.Error("Abrir enabled with no row selected")
	}
	// Selecting a row only selects it; Abrir, a double tap or Enter opens.
	l.table.Select(widget.TableCellID{Row: 1, Col: 3})
	if news != 1 || len(opened) != 0 || l.btnOpen.Disabled() {
		t.Fatalf("after select: OnNew %d times, OnOpen %v, Abrir disabled %v", news, opened, l.btnOpen.Disabled())
	}
	test.Tap(l.btnOpen)
	l.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// A double tap on the third row opens it: rows are a label high plus
	// padding, below a header row of one label.
	cell := widget.NewLabel("A-1").MinSize().Height
	y := cell + 2*(cell+theme.Padding()) + cell/2
	l.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(40, y)})
	if fmt.Sprint(opened) != "[2 2 1]" || l.selected != 2 {
		t.Errorf("OnOpen %v, selected %d; want [2 2 1] and the third row", opened, l.selected)
	}
}

// actionRows are one invoice in each state, newest first.
func actionRows() []sales.InvoiceRow {
	t0 := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	d := decimal.RequireFromString
	return []sales.InvoiceRow{
		{ID: 4, State: sales.StateDraft, Status: sales.StatusDraft, Fecha: t0, CustomerRFC: "XAXX010101000", CustomerName: "PUBLICO EN GENERAL",
			Moneda: "MXN", Total: d("580")},
		{ID: 3, State: sales.StateSealed, Status: sales.StatusSealed, Serie: "A", Folio: 3, Fecha: t0.Add(-time.Hour), CustomerRFC: "CACX7605101P8",
			CustomerName: "XOCHILT CASAS CHAVEZ", Moneda: "MXN", Total: d("3654"), OrderRef: "OC-17"},
		{ID: 2, State: sales.StateStamped, Status: sales.StatusStamped, Serie: "A", Folio: 2, Fecha: t0.Add(-2 * time.Hour), CustomerRFC: "URE180429TM6",
			CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Moneda: "USD", Total: d("1250.5"),
			UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Printed: true},
		{ID: 1, State: sales.StateCancelled, Status: sales.StatusCancelled, Serie: "A", Folio: 1, Fecha: t0.Add(-26 * time.Hour), CustomerRFC: "URE180429TM6",
			CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Moneda: "MXN", Total: d("99.99"),
			UUID: "0C2B5B9B-6F43-4E4D-A2F5-1A1B1C1D1E1F"},
	}
}

// actionFake is the fake list store that also offers the actions' store;
// those methods are not reached by the tests that use it.
type actionFake struct{ *fakeStore }

func (actionFake) FindInvoiceByID(context.Context, int64) (sales.Invoice, error) {
	return sales.Invoice{}, errors.New("not used")
}
func (actionFake) SaveDraft(context.Context, *sales.Invoice) error { return errors.New("not used") }
func (actionFake) DeleteDraft(context.Context, int64) error        { return errors.New("not used") }
func (actionFake) InvoiceXML(context.Context, int64) ([]byte, bool, error) {
	return nil, false, errors.New("not used")
}
func (actionFake) DocumentsRelatingTo(context.Context, string, string) ([][]byte, error) {
	return nil, errors.New("not used")
}
func (actionFake) CreditNotesOf(context.Context, int64) ([]sales.CreditNoteRow, error) {
	return nil, errors.New("not used")
}

func TestInvoiceListActionsFollowStatus(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(actionFake{&fakeStore{rows: actionRows()}}, "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	var printed, chosen, saved, cancelled, sent []int64
	l.OnOpen = func(int64) {}
	l.OnPrint = func(id int64) { printed = append(printed, id) }
	l.OnChoosePrinter = func(id int64) { chosen = append(chosen, id) }
	l.OnSavePDF = func(id int64) { saved = append(saved, id) }
	l.OnCancel = func(id int64) { cancelled = append(cancelled, id) }
	l.OnSend = func(id int64) { sent = append(sent, id) }
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 4 })

	enabled := func() string {
		var on []string
		for _, a := range l.actions {
			if !a.button.Disabled() {
				on = append(on, a.button.Text)
			}
		}
		return strings.Join(on, ", ")
	}
	tests := []struct {
		row  int
		want string
	}{
		{0, "Abrir, Duplicar, Eliminar borrador"},
		{1, "Abrir, Imprimir…, Elegir impresora…, Guardar PDF…, Guardar XML, Duplicar, Documentos relacionados"},
		{2, "Abrir, Imprimir…, Elegir impresora…, Guardar PDF…, Guardar XML, Enviar por correo, Cancelar factura, Duplicar, Documentos relacionados"},
		{3, "Abrir, Imprimir…, Elegir impresora…, Guardar PDF…, Guardar XML, Duplicar, Documentos relacionados"},
	}
	for _, tt := range tests {
		l.table.Select(widget.TableCellID{Row: tt.row, Col: 0})
		if got := enabled(); got != tt.want {
			t.Errorf("%s: enabled %q, want %q", l.rows[tt.row].st, got, tt.want)
		}
	}
	// The stamped row's callbacks get its id.
	l.table.Select(widget.TableCellID{Row: 2, Col: 0})
	test.Tap(l.btnPrint)
	test.Tap(l.btnChoosePrinter)
	test.Tap(l.btnPDF)
	test.Tap(l.btnSend)
	test.Tap(l.btnCancel)
	if fmt.Sprint(printed, chosen, saved, sent, cancelled) != "[2] [2] [2] [2] [2]" {
		t.Errorf("print %v, choose printer %v, save PDF %v, send %v, cancel %v", printed, chosen, saved, sent, cancelled)
	}
	// Reloading clears the selection and the actions.
	l.Reload()
	q.RunUntil(t, "reloaded", func() bool { return l.selected == -1 && !l.loading })
	if got := enabled(); got != "" {
		t.Errorf("after reload: enabled %q", got)
	}

	// Without callbacks or the actions' store, only Abrir is left.
	plain := NewInvoiceList(&fakeStore{rows: actionRows()}, "EKU9003173C9")
	plain.OnOpen = func(int64) {}
	plain.rows = []row{formatRow(actionRows()[2])}
	plain.selectRow(0)
	l = plain
	if got := enabled(); got != "Abrir" {
		t.Errorf("plain store: enabled %q", got)
	}
}

// TestInvoiceListMarkup pins the list's layout: one row in each state, the
// stamped one selected.
func TestInvoiceListMarkup(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(actionFake{&fakeStore{rows: actionRows()}}, "EKU9003173C9")
	l.OnOpen = func(int64) {}
	l.OnPrint = func(int64) {}
	l.OnCancel = func(int64) {}
	l.OnSend = func(int64) {}
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 500))
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 4 })
	l.table.Select(widget.TableCellID{Row: 2, Col: 0})
	w.Canvas().Unfocus()
	test.AssertRendersToMarkup(t, "list.xml", w.Canvas())
}

func TestWriteXML(t *testing.T) {
	uitest.NewApp(t)
	// A BOM, CRLF line ends and non-ASCII text must reach the file as they are.
	xml := []byte("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<cfdi:Comprobante Nombre=\"ESPAÑOLA\"/>\r\n")
	path := filepath.Join(t.TempDir(), "A-1_EKU9003173C9.xml")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := writeXML(w, xml); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, xml) {
		t.Errorf("file = %q, %v; want %q", got, err, xml)
	}
	if err := writeXML(failingWriter{}, xml); domain.KindOf(err) != domain.Unavailable {
		t.Errorf("failing writer: %v, want Unavailable", err)
	}
	if got := xmlFileName(formatRow(actionRows()[2]), "EKU9003173C9"); got != "A-2_EKU9003173C9.xml" {
		t.Errorf("file name = %q", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
func (failingWriter) Close() error              { return nil }

type fakeDeliveries map[int64]delivery.State

func (f fakeDeliveries) InvoiceDeliveryStates(_ context.Context, ids []int64) (map[int64]delivery.State, error) {
	out := map[int64]delivery.State{}
	for _, id := range ids {
		if st, ok := f[id]; ok {
			out[id] = st
		}
	}
	return out, nil
}

func TestInvoiceListMailColumn(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(newFakeStore(3), "EKU9003173C9")
	l.Deliveries = fakeDeliveries{3: delivery.StateSent, 1: delivery.StateQueued}
	w := test.NewWindow(l)
	defer w.Close()
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 3 && !l.loading })
	got := []string{l.rows[0].mail, l.rows[1].mail, l.rows[2].mail}
	if got[0] != "Enviado" || got[1] != "" || got[2] != "Por enviar" {
		t.Errorf("Correo column = %q, want [Enviado, \"\", Por enviar]", got)
	}
}

// TestInvoiceListExplainsItsColumns: ST and CFDI keep the names users know
// from their ERPs, and a legend below the table says what they and their
// values mean.
func TestInvoiceListExplainsItsColumns(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(actionFake{&fakeStore{rows: actionRows()}}, "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1024, 600))
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 4 })

	var headers []string
	for i := range columns {
		lb := widget.NewLabel("")
		l.table.UpdateHeader(widget.TableCellID{Row: -1, Col: i}, lb)
		headers = append(headers, lb.Text)
	}
	if !slices.Contains(headers, "ST") || !slices.Contains(headers, "CFDI") {
		t.Errorf("headers = %v, want ST and CFDI kept", headers)
	}
	shown := false
	for _, o := range test.LaidOutObjects(l) {
		if o == fyne.CanvasObject(l.legend) && l.legend.Visible() && l.legend.Size().Height > 0 {
			shown = true
		}
	}
	if !shown {
		t.Fatal("no legend below the table")
	}
	for _, want := range []string{"ST:", "CFDI:", "---", "TFD", "PDF", "Emitida"} {
		if !strings.Contains(l.legend.Text, want) {
			t.Errorf("legend %q lacks %q", l.legend.Text, want)
		}
	}
	if l.btnTrace.Text == "Rastrear" {
		t.Errorf("the trace button still reads %q, which does not say what it shows", l.btnTrace.Text)
	}
}

// TestInvoiceListSelectsWholeRow: clicking any cell paints its whole row
// as selected, not the one cell Fyne marks (issue "A window that tells the
// truth and fits the screen").
func TestInvoiceListSelectsWholeRow(t *testing.T) {
	_, q := uitest.NewApp(t)
	l := NewInvoiceList(newFakeStore(3), "EKU9003173C9")
	w := test.NewWindow(l)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 600))
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 3 })
	l.table.Select(widget.TableCellID{Row: 1, Col: 3})
	selected := func(row, col int) bool {
		cell := l.table.CreateCell()
		l.table.UpdateCell(widget.TableCellID{Row: row, Col: col}, cell)
		bg := cell.(*fyne.Container).Objects[0].(*canvas.Rectangle)
		return bg.FillColor == theme.Color(theme.ColorNameSelection)
	}
	for col := range columns {
		if !selected(1, col) {
			t.Errorf("row 1 column %d not painted as selected", col)
		}
		if selected(0, col) || selected(2, col) {
			t.Errorf("another row's column %d painted as selected", col)
		}
	}
}
