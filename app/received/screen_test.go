package received

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/listing"
	dreceived "github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/uitest"
)

// fileItems reads each path as one item (what internal/wire does for files).
func fileItems(paths []string) []dreceived.Item {
	items := make([]dreceived.Item, len(paths))
	for i, p := range paths {
		p := p
		items[i] = dreceived.Item{Name: p, Read: func() ([]byte, error) { return os.ReadFile(p) }}
	}
	return items
}

// TestScreenImportsAndFilters: importing SAT samples through the
// screen's action shows the demo company's received and issued documents,
// the result dialog lists the files of other companies, and the search
// filters the list.
func TestScreenImportsAndFilters(t *testing.T) {
	_, q := uitest.NewApp(t)
	var files []string // a few samples: the race detector makes verification slow
	for _, p := range testpack.Samples(t) {
		switch filepath.Base(p)[:3] {
		case "01-", "02-", "06-", "14-", "15-":
			files = append(files, p)
		}
	}
	store := sqlite.MustOpenTest(t)
	if err := store.SaveCompany(context.Background(), sales.DemoCompany()); err != nil {
		t.Fatal(err)
	}
	svc := &dreceived.Service{Store: store, Checker: &dreceived.Checker{}}
	s := NewScreen(Deps{Store: store, Import: func(ctx context.Context, paths []string, p func(dreceived.Progress)) (dreceived.Result, error) {
		return svc.Import(ctx, fileItems(paths), p)
	}}, sales.DemoRFC)
	w := test.NewWindow(s)
	defer w.Close()
	w.Resize(fyne.NewSize(1366, 768))

	s.ImportPaths(files)
	q.RunUntil(t, "the received list", func() bool {
		return len(s.List.Rows()) == 1 && strings.Contains(s.List.Status.Text, "1")
	})
	if r := s.List.Rows()[0]; r.RfcEmisor != "CACX7605101P8" || r.RfcReceptor != sales.DemoRFC || r.Estatus != "Sin consultar" {
		t.Errorf("received row = %+v", r)
	}
	probs := s.Problems()
	if len(probs) != 2 || !strings.Contains(strings.Join(probs, "\n"), "no pertenece a ninguna empresa") {
		t.Errorf("result dialog lists %d problems: %q", len(probs), probs)
	}
	if len(w.Canvas().Overlays().List()) == 0 {
		t.Error("no result dialog")
	}

	s.Direction.SetSelected("Emitidos")
	q.RunUntil(t, "the issued list", func() bool { return len(s.List.Rows()) == 3 })
	s.List.Search.SetText("6F35D3B5")
	q.RunUntil(t, "the search", func() bool { return len(s.List.Rows()) == 1 })
	if r := s.List.Rows()[0]; r.UUID != "6F35D3B5-3651-5370-BC2C-14CDBE384CD7" || r.Verificacion != "Correcta" || r.Tipo != "Ingreso" {
		t.Errorf("searched row = %+v", r)
	}
	// The export holds what the search shows: the one document, its date
	// an instant and its total an amount, with its currency (a column the
	// table does not show: its Total says it).
	e, ok := s.Export()
	if !ok || e.Title != "CFDI externos" || e.Columns[5].Kind != listing.DateTime || e.Columns[8].Kind != listing.Money || e.Columns[9].Title != "Moneda" {
		t.Fatalf("export %q %+v", e.Title, e.Columns)
	}
	if _, cols := s.List.Table.Length(); cols != len(e.Columns)-1 {
		t.Errorf("the table shows %d columns, want every exported one but Moneda", cols)
	}
	var rows []listing.Row
	if err := e.Rows(context.Background(), func(r listing.Row) error { rows = append(rows, r); return listing.Check(e.Columns, r) }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "6F35D3B5-3651-5370-BC2C-14CDBE384CD7" || rows[0][5].(time.Time).IsZero() || rows[0][8].(decimal.Decimal).IsZero() || rows[0][9] == "" {
		t.Errorf("exported %v", rows)
	}
	s.List.Search.SetText("")
	s.From.SetText("2030-01-01")
	q.RunUntil(t, "the date range", func() bool { return len(s.List.Rows()) == 0 })
}
