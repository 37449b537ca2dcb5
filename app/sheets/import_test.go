package sheets

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sheet"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/catalogio"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/uitest"
)

var (
	catsOnce sync.Once
	cats     *sat.Catalogs
	catsErr  error
)

func testCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	catsOnce.Do(func() { cats, catsErr = sat.NewCatalogs(assets.Catalogs) })
	if catsErr != nil {
		tb.Fatal(catsErr)
	}
	return cats
}

// fakeList stands for the catalog list the area wraps; it counts reloads.
type fakeList struct {
	widget.Label
	reloads int
}

func (l *fakeList) Reload() { l.reloads++ }

// newArea is an Area over a real store with the real reader and writers.
func newArea(t *testing.T, kind Kind) (*Area, *fakeList, *sqlite.Store, fyne.Window) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	inner := &fakeList{}
	inner.ExtendBaseWidget(inner)
	a := Wrap(inner, Deps{Service: &catalogio.Service{Store: st, Catalogs: testCatalogs(t)}, Read: sheet.Read, WriteXLSX: sheet.WriteXLSX,
		WriteListing: sheet.WriteListing}, kind)
	w := test.NewWindow(a)
	w.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(w.Close)
	return a, inner, st, w
}

func csvFile(rows [][]string) []byte {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return []byte(b.String())
}

func xlsxFile(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// selectOption picks the option whose text is opt in the mapping select of
// field key, as the user does.
func selectOption(t *testing.T, im *importer, key, opt string) {
	t.Helper()
	sel := im.selects[key]
	for i, o := range sel.Options {
		if o == opt {
			sel.SetSelectedIndex(i)
			return
		}
	}
	t.Fatalf("select %s has no option %q: %v", key, opt, sel.Options)
}

// TestImportDialog drives "Importar…" as a user would, for a CSV of
// products and an XLSX of customers, each with good and bad rows: the
// preview counts the rows and lists each refused one with its reasons; a
// required column the header does not name is missing until the user maps
// it (Importar stays disabled); Importar stores the good rows and only
// them, in one transaction — the domain's rule: refused rows are reported
// and skipped, the accepted ones go in all together or not at all —,
// closes the dialog and reloads the list. A record taken by someone else
// between the preview and Importar refuses the whole import: the dialog
// stays open with the reason and the catalog keeps only that record.
func TestImportDialog(t *testing.T) {
	products := [][]string{
		{"Clave", "Descripción", "ClaveProdServ", "Clave de unidad", "Importe lista", "IVA"},
		{"LAP-14", "Computadora portátil", "43211503", "H87", "15999.50", "16"},
		{"CAFE-1", "Café de grano", "50201706", "KGM", "289.90", "0"},
		{"BAD-1", "Clave SAT inexistente", "99999999", "H87", "10", "16"},
		{"LAP-14", "Repetido en el archivo", "43211503", "H87", "10", "16"},
		{"BAD-2", "Precio con letras", "43211503", "H87", "diez", "16"},
	}
	customers := [][]string{
		{"RFC", "Razón social", "Régimen fiscal", "Código postal", "Uso del CFDI", "Saldo límite"},
		{"EKU9003173C9", "ESCUELA KEMPER URGATE", "601", "42501", "G03", "5000"},
		{"XAXX010101000", "PUBLICO EN GENERAL", "616", "42501", "S01", ""},
		{"ABC", "RFC MALO", "601", "42501", "G03", ""},
		{"XIA190128J61", "XENON INDUSTRIAL ARTICLES", "999", "76343", "G03", ""},
		{"EKU9003173C9", "REPETIDO", "601", "42501", "G03", ""},
	}
	for _, tt := range []struct {
		name      string
		kind      Kind
		file      string
		data      func(t *testing.T) []byte
		unmapped  string // a required field the header does not name ("" none)
		column    string // the header the user maps it to
		refused   map[int]string
		stored    []string // keys in the catalog after Importar
		conflict  string   // key created meanwhile (second run)
		stored2   []string
		countText string
	}{
		{
			name: "products from CSV", kind: Products, file: "productos.csv",
			data:     func(*testing.T) []byte { return csvFile(products) },
			unmapped: "precio", column: "Importe lista",
			refused:   map[int]string{4: "clave de producto", 5: "renglón 2 del archivo", 6: "precio no es un número"},
			stored:    []string{"CAFE-1", "LAP-14"},
			conflict:  "CAFE-1",
			countText: "Importar 2",
		},
		{
			name: "customers from XLSX", kind: Customers, file: "clientes.xlsx",
			data:      func(t *testing.T) []byte { return xlsxFile(t, customers) },
			refused:   map[int]string{4: "rfc", 5: "régimen", 6: "renglón 2 del archivo"},
			stored:    []string{"EKU9003173C9", "XAXX010101000"},
			conflict:  "EKU9003173C9",
			countText: "Importar 2",
		},
	} {
		for _, late := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/taken meanwhile %v", tt.name, late), func(t *testing.T) {
				_, q := uitest.NewApp(t)
				a, inner, st, w := newArea(t, tt.kind)
				tab, err := sheet.Read(tt.file, tt.data(t))
				if err != nil {
					t.Fatal(err)
				}
				// Given the file read, when the dialog opens, then the
				// mapping is guessed from the header and the rows checked.
				a.showImport(w, tt.file, tab)
				im := a.importing
				if w.Canvas().Overlays().Top() == nil {
					t.Fatal("the import dialog is not shown")
				}
				if tt.unmapped != "" {
					q.RunUntil(t, "missing column", func() bool { return strings.Contains(im.summary.Text, "Asigne una columna") })
					if !im.confirm.Disabled() || im.selects[tt.unmapped].SelectedIndex() != 0 {
						t.Fatalf("with %s unmapped: confirm enabled %v, select at %d", tt.unmapped, !im.confirm.Disabled(), im.selects[tt.unmapped].SelectedIndex())
					}
					// When the user maps the column, the preview is redone.
					selectOption(t, im, tt.unmapped, tt.column)
				}
				q.RunUntil(t, "preview", func() bool { return !im.confirm.Disabled() })
				if im.confirm.Text != tt.countText || !strings.Contains(im.summary.Text, fmt.Sprintf("se rechazan %d", len(tt.refused))) {
					t.Errorf("preview: %q, %q", im.confirm.Text, im.summary.Text)
				}
				if rows, cols := im.refused.Length(); rows != len(tt.refused) || cols != 3 {
					t.Errorf("refusals table %d×%d, want %d×3", rows, cols, len(tt.refused))
				}
				for _, r := range im.refusals {
					want, ok := tt.refused[r.Row]
					if !ok || !strings.Contains(strings.ToLower(strings.Join(r.Reasons, " ")), want) {
						t.Errorf("row %d (%s) refused for %q, want a reason with %q", r.Row, r.Key, r.Reasons, want)
					}
				}
				if keys := catalogKeys(t, st, tt.kind); len(keys) != 0 {
					t.Fatalf("the preview stored %v", keys)
				}
				if late {
					takeMeanwhile(t, st, tt.kind, tt.conflict)
				}
				test.Tap(im.confirm)
				if late {
					q.RunUntil(t, "refusal", func() bool {
						return strings.Contains(im.summary.Text, "no se importó ningún") && strings.Contains(im.summary.Text, tt.conflict)
					})
					if got := catalogKeys(t, st, tt.kind); strings.Join(got, " ") != tt.conflict {
						t.Errorf("after a refused import the catalog holds %v, want only %s", got, tt.conflict)
					}
					if w.Canvas().Overlays().Top() == nil || inner.reloads != 0 {
						t.Errorf("a refused import closed the dialog (%v) or reloaded the list (%d)", w.Canvas().Overlays().Top() == nil, inner.reloads)
					}
					return
				}
				q.RunUntil(t, "imported", func() bool { return inner.reloads == 1 })
				if got := catalogKeys(t, st, tt.kind); strings.Join(got, " ") != strings.Join(tt.stored, " ") {
					t.Errorf("catalog after Importar: %v, want %v", got, tt.stored)
				}
				if w.Canvas().Overlays().Top() != nil || a.status.Text != "Importados: 2." {
					t.Errorf("after Importar: dialog still shown %v, status %q", w.Canvas().Overlays().Top() != nil, a.status.Text)
				}
			})
		}
	}
}

// catalogKeys are the catalog's codes or RFCs, sorted.
func catalogKeys(t *testing.T, st *sqlite.Store, kind Kind) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	if kind == Products {
		ps, err := st.AllProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			out = append(out, p.Code)
		}
	} else {
		cs, err := st.AllCustomers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			out = append(out, c.RFC)
		}
	}
	slices.Sort(out)
	return out
}

// takeMeanwhile creates the record key, as another workstation would.
func takeMeanwhile(t *testing.T, st *sqlite.Store, kind Kind, key string) {
	t.Helper()
	ctx := context.Background()
	if kind == Products {
		p := sales.DemoProducts()[0]
		p.Code = key
		if err := st.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
		return
	}
	c := sales.DemoCustomers()[0]
	c.RFC, c.Name = key, "CREADO EN OTRA ESTACIÓN"
	c.Normalize()
	if err := st.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
}
