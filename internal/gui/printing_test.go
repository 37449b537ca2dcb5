package gui

import (
	"context"
	"github.com/folio-mx/folio/internal/uitest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/data/printer"
	"github.com/folio-mx/folio/data/printer/printertest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
)

// TestPrintDialogRemembersThePrinter: the first "Imprimir…" lists the
// system's printers (a fake lpstat) with its default chosen; the printer
// and copies picked there reach lp and are remembered, so the next
// "Imprimir…" prints at once; "Elegir impresora…" shows the choice again;
// a failing lp is shown in a dialog. The demo company's PDF carries the
// demo mark.
func TestPrintDialogRemembersThePrinter(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := sales.DemoCompany()
	if err := (demoSeeder{store, nil}).SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	fake := printertest.New(t, []string{"Oficina", "PDF"}, "PDF")

	a, q := uitest.NewApp(t)
	status := widgets.NewStatusBar()
	screen := invoices.NewScreen(invoices.ScreenDeps{
		List: store, Loader: store,
		Printing: printing{store: store, printer: printer.System{}},
		Status:   status,
	}, co)
	w := test.NewWindow(container.NewBorder(nil, status, nil, nil, screen))
	defer w.Close()
	w.Resize(fyne.NewSize(1400, 800))
	screen.Reload()
	var table interface{ Select(widget.TableCellID) }
	q.RunUntil(t, "the list's rows", func() bool {
		o := find(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
			_, ok := o.(interface{ Select(widget.TableCellID) })
			return ok
		})
		if o == nil {
			return false
		}
		table = o.(interface{ Select(widget.TableCellID) })
		return button(w.Canvas().Content(), "Imprimir…") != nil
	})
	q.Drain(200 * time.Millisecond) // the first page
	table.Select(widget.TableCellID{Row: 0, Col: 0})
	printBtn := button(w.Canvas().Content(), "Imprimir…")
	if printBtn.Disabled() {
		t.Fatal("Imprimir… disabled on a sealed invoice")
	}

	// The first print asks, listing the fake printers with the default.
	test.Tap(printBtn)
	q.RunUntil(t, "the print dialog", func() bool { return w.Canvas().Overlays().Top() != nil })
	dlg := w.Canvas().Overlays().Top()
	sel := find(dlg, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Select); return ok }).(*widget.Select)
	if !reflect.DeepEqual(sel.Options, []string{"Oficina", "PDF"}) || sel.Selected != "PDF" {
		t.Fatalf("printers %q, chosen %q; want Oficina and PDF, PDF chosen (the default)", sel.Options, sel.Selected)
	}
	sel.SetSelected("Oficina")
	copies := find(dlg, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Entry); return ok }).(*widget.Entry)
	copies.SetText("2")
	test.Tap(button(dlg, "Imprimir"))
	q.RunUntil(t, "the first job", func() bool { return strings.Contains(status.Message(), "enviado a Oficina") })
	if _, visible := status.Progress(); visible {
		t.Error("progress bar still shown after printing")
	}
	calls := fake.Calls(t)
	if len(calls) != 1 || len(calls[0]) != 7 {
		t.Fatalf("lp calls %q, want one with 7 arguments", calls)
	}
	if want := []string{"-d", "Oficina", "-n", "2", "-t"}; !reflect.DeepEqual(calls[0][:5], want) {
		t.Errorf("lp %q, want %q TITLE FILE", calls[0], want)
	}
	if !regexp.MustCompile(`^[A-Z]*-\d+_` + co.RFC + `$`).MatchString(calls[0][5]) {
		t.Errorf("job title %q, want SERIE-FOLIO_RFC", calls[0][5])
	}
	prefs := a.Preferences()
	if prefs.String(invoices.PrefPrinter) != "Oficina" || prefs.Int(invoices.PrefCopies) != 2 {
		t.Errorf("remembered %q × %d, want Oficina × 2", prefs.String(invoices.PrefPrinter), prefs.Int(invoices.PrefCopies))
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		f := filepath.Join(t.TempDir(), "printed.pdf")
		if err := writeFile(f, fake.Printed(t, 1)); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", f, "-").Output()
		if err != nil || !strings.Contains(string(out), print.DemoMark) {
			t.Errorf("the demo company's printed PDF lacks %q (%v)", print.DemoMark, err)
		}
	} else {
		t.Log("pdftotext not installed: the demo mark of the printed PDF is not checked here")
	}

	// The next print uses the remembered printer without asking.
	test.Tap(printBtn)
	q.RunUntil(t, "the second job", func() bool { return len(fake.Calls(t)) == 2 })
	q.Drain(50 * time.Millisecond)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the second print asked again")
	}
	if got := fake.Calls(t)[1]; !reflect.DeepEqual(got[:6], calls[0][:6]) {
		t.Errorf("second lp %q, want %q", got, calls[0][:6])
	}

	// "Elegir impresora…" shows the remembered choice.
	test.Tap(button(w.Canvas().Content(), "Elegir impresora…"))
	q.RunUntil(t, "the print dialog again", func() bool { return w.Canvas().Overlays().Top() != nil })
	dlg = w.Canvas().Overlays().Top()
	sel = find(dlg, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Select); return ok }).(*widget.Select)
	copies = find(dlg, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Entry); return ok }).(*widget.Entry)
	if sel.Selected != "Oficina" || copies.Text != "2" {
		t.Errorf("dialog shows %q × %s, want the remembered Oficina × 2", sel.Selected, copies.Text)
	}
	test.Tap(button(dlg, "Cancelar"))
	q.Drain(50 * time.Millisecond)

	// A printer that is gone: the window says so and the next print asks.
	fake.FailLP(t, "lp: The printer or class does not exist.")
	test.Tap(printBtn)
	q.RunUntil(t, "the error dialog", func() bool { return w.Canvas().Overlays().Top() != nil })
	if find(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "«Oficina» ya no existe")
	}) == nil {
		t.Error("the error dialog does not say the printer is gone")
	}
	if prefs.String(invoices.PrefPrinter) != "" {
		t.Error("a printer that is gone is still remembered")
	}
}

// button is the button labelled text under o, or nil.
func button(o fyne.CanvasObject, text string) *widget.Button {
	b, _ := find(o, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == text
	}).(*widget.Button)
	return b
}

// find walks o's tree (containers and widget renderers) for the first
// visible object match accepts.
func find(o fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	if match(o) {
		return o
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, k := range kids {
		if f := find(k, match); f != nil {
			return f
		}
	}
	return nil
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

// TestInvoicePDFForSaving: "Guardar PDF…" gets the PDF drawn from the stored
// XML, named SERIE-FOLIO_RFC.pdf, and the invoice counts as printed only
// once it was saved.
func TestInvoicePDFForSaving(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	co := sales.DemoCompany()
	if err := (demoSeeder{store, nil}).SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	rows, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: co.RFC, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("invoices: %v", err)
	}
	p := printing{store: store}
	name, pdf, err := p.InvoicePDF(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Z]*-\d+_`+co.RFC+`\.pdf$`).MatchString(name) || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("InvoicePDF = %q, %d bytes starting %q", name, len(pdf), pdf[:min(8, len(pdf))])
	}
	printed := func() bool {
		rs, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: co.RFC, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.ID == rows[0].ID {
				return r.Printed
			}
		}
		t.Fatal("invoice gone")
		return false
	}
	if printed() {
		t.Error("printed before the PDF was saved")
	}
	if err := p.PDFSaved(ctx, rows[0].ID); err != nil || !printed() {
		t.Errorf("PDFSaved: %v, printed %v", err, printed())
	}
}
