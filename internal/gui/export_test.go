package gui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/app/customers"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/uitest"
)

// exported is an export read back: the XLSX's data rows (below the title
// and the header), raw, and the PDF's text.
type exported struct {
	header []string
	rows   [][]string
	xlsx   *excelize.File
	sheet  string
	pdf    string
}

// exportBoth exports e with the window's wiring to XLSX and PDF and reads
// both back (excelize, pdftotext).
func exportBoth(t *testing.T, deps sheets.Deps, e widgets.ListExport) exported {
	t.Helper()
	ctx := context.Background()
	var x, p bytes.Buffer
	if err := sheets.ExportList(ctx, deps, e, sheets.XLSX, &x, nil); err != nil {
		t.Fatalf("export %s to XLSX: %v", e.Title, err)
	}
	if err := sheets.ExportList(ctx, deps, e, sheets.PDF, &p, nil); err != nil {
		t.Fatalf("export %s to PDF: %v", e.Title, err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	out := exported{xlsx: f, sheet: f.GetSheetList()[0]}
	all, err := f.GetRows(out.sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(all) < 2 {
		t.Fatalf("XLSX rows: %d, %v", len(all), err)
	}
	out.header, out.rows = all[1], all[2:]
	testpack.RequireTools(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "lista.pdf")
	if err := os.WriteFile(file, p.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	out.pdf = string(text)
	return out
}

// column returns the i-th cell of every row.
func (e exported) column(i int) []string {
	out := make([]string, len(e.rows))
	for r, row := range e.rows {
		if i < len(row) {
			out[r] = row[i]
		}
	}
	return out
}

// TestExportFilteredLists: "Exportar lista" of Productos, Clientes and
// Facturas, each searched, over a real store with the window's wiring:
// the XLSX holds exactly the rows of the search — every page, past the
// 500 the screen shows —, in the screen's columns, amounts as number
// cells with two decimals and dates as dates; the PDF prints the same
// rows and nothing else.
func TestExportFilteredLists(t *testing.T) {
	uitest.NewApp(t)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rules, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	deps := sheetsDeps(store, rules)

	t.Run("products", func(t *testing.T) {
		// Given 1,150 screws (five of them deactivated) and 50 nails,
		var ps []sales.Product
		for i := range 1200 {
			p := sales.DemoProducts()[0]
			p.Code, p.Description, p.Price = fmt.Sprintf("TOR-%04d", i), fmt.Sprintf("Tornillo hexagonal %d", i), decimal.New(int64(1000+i), -2)
			if i >= 1150 {
				p.Code, p.Description = fmt.Sprintf("CLA-%04d", i), fmt.Sprintf("Clavo %d", i)
			}
			ps = append(ps, p)
		}
		if err := store.ImportProducts(ctx, ps); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for i, p := range ps {
			if i < 1150 && i%230 == 7 {
				if err := store.SetProductActive(ctx, p.ID, false); err != nil {
					t.Fatal(err)
				}
			} else if i < 1150 {
				want[p.Code] = true
			}
		}
		// when the list is searched for "tornillo" and exported,
		l := products.NewProductList(store, rules, store)
		l.FocusTarget().(*widget.Entry).SetText("tornillo")
		e, ok := l.Export()
		if !ok {
			t.Fatal("the products list is not exportable")
		}
		got := exportBoth(t, deps, e)
		// then the files hold the 1,145 active screws, no nail, no
		// deactivated screw.
		if strings.Join(got.header, "|") != "Código|Descripción|Claves SAT|Precio|IVA|Estado" {
			t.Errorf("header %q", got.header)
		}
		codes := got.column(0)
		if len(codes) != len(want) {
			t.Errorf("XLSX has %d rows, want %d", len(codes), len(want))
		}
		for _, c := range codes {
			if !want[c] {
				t.Errorf("XLSX row %s is not in the search", c)
			}
			if n := strings.Count(got.pdf, c+" "); n != 1 {
				t.Errorf("PDF prints %s %d times, want once", c, n)
			}
		}
		if strings.Contains(got.pdf, "CLA-") || strings.Contains(got.pdf, "TOR-0007 ") {
			t.Error("PDF prints a product outside the search")
		}
		// Precio is a number shown with two decimals.
		cell := fmt.Sprintf("D%d", 3+slices.Index(codes, "TOR-0001"))
		if raw, _ := got.xlsx.GetCellValue(got.sheet, cell, excelize.Options{RawCellValue: true}); raw != "10.01" {
			t.Errorf("price of TOR-0001 = %q, want 10.01", raw)
		}
		if shown, _ := got.xlsx.GetCellValue(got.sheet, cell); shown != "10.01" {
			t.Errorf("price of TOR-0001 shows %q", shown)
		}
		if typ, _ := got.xlsx.GetCellType(got.sheet, cell); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
			t.Errorf("price is text (%v), want a number", typ)
		}
	})

	t.Run("customers", func(t *testing.T) {
		var cs []sales.Customer
		for i := range 30 {
			c := sales.DemoCustomers()[0]
			c.RFC, c.Name = fmt.Sprintf("AAA0101%02dAA1", i), fmt.Sprintf("COMERCIAL NORTE %d", i)
			if i%3 == 0 {
				c.Name = fmt.Sprintf("DISTRIBUIDORA SUR %d", i)
			}
			cs = append(cs, c)
		}
		if err := store.ImportCustomers(ctx, cs); err != nil {
			t.Fatal(err)
		}
		l := customers.NewCustomerList(store, rules)
		l.FocusTarget().(*widget.Entry).SetText("distribuidora")
		e, _ := l.Export()
		got := exportBoth(t, deps, e)
		names := got.column(1)
		if len(names) != 10 {
			t.Fatalf("XLSX has %d customers, want the 10 of the search: %v", len(names), names)
		}
		for _, n := range names {
			if !strings.HasPrefix(n, "DISTRIBUIDORA SUR") || !strings.Contains(got.pdf, n) {
				t.Errorf("customer %q: outside the search or missing from the PDF", n)
			}
		}
		if strings.Contains(got.pdf, "COMERCIAL NORTE") {
			t.Error("PDF prints a customer outside the search")
		}
	})

	t.Run("invoices", func(t *testing.T) {
		c := sales.DemoCompany()
		if err := (demoSeeder{store, nil}).SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
		all, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: c.RFC, Limit: 500})
		if err != nil || len(all) < 2 {
			t.Fatalf("demo invoices: %d, %v", len(all), err)
		}
		// Search for the first invoice's customer: the store's answer to
		// the same filter is what the export must hold.
		q := all[0].CustomerRFC
		want, err := store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: c.RFC, Tipo: sales.TipoIngreso, Search: q, Limit: 500})
		if err != nil || len(want) == 0 || len(want) == len(all) {
			t.Fatalf("searching %s finds %d of %d invoices (%v); the test needs a proper subset", q, len(want), len(all), err)
		}
		l := invoices.NewInvoiceList(store, c.RFC)
		l.Tipo = sales.TipoIngreso
		l.FocusTarget().(*widget.Entry).SetText(q)
		e, _ := l.Export()
		got := exportBoth(t, deps, e)
		if strings.Join(got.header, "|") != "Núm|Fecha|Ref|ST|Acreditada|Total|Moneda|Cliente|CFDI|Correo" {
			t.Errorf("header %q", got.header)
		}
		if len(got.rows) != len(want) {
			t.Fatalf("XLSX has %d invoices, want %d", len(got.rows), len(want))
		}
		for i, w := range want {
			row := got.rows[i]
			num := fmt.Sprintf("%s-%d", w.Serie, w.Folio)
			if w.Folio == 0 {
				num = ""
			}
			total, _ := decimal.NewFromString(row[5])
			if row[0] != num || !total.Equal(w.Total) || row[6] != w.Moneda || !strings.HasPrefix(row[7], q) {
				t.Errorf("row %d = %q, want %s total %s %s of %s", i, row, num, w.Total, w.Moneda, q)
			}
			if num != "" && !strings.Contains(got.pdf, num+" ") {
				t.Errorf("PDF lacks %s", num)
			}
			cell := fmt.Sprintf("B%d", 3+i)
			if shown, _ := got.xlsx.GetCellValue(got.sheet, cell); shown != w.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04") {
				t.Errorf("Fecha shows %q, want %s", shown, w.Fecha)
			}
		}
		for _, o := range all {
			if o.CustomerRFC != q && o.Folio != 0 && strings.Contains(got.pdf, fmt.Sprintf(" %s-%d ", o.Serie, o.Folio)) {
				t.Errorf("PDF prints %s-%d of another customer", o.Serie, o.Folio)
			}
		}
	})
}
