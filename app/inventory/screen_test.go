package inventory

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/event"
	inv "github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/internal/uitest"
)

type fakeStock struct {
	mu      sync.Mutex
	levels  []inv.LevelRow
	asked   []inv.LevelFilter
	movesOf []inv.MovementFilter
}

func (f *fakeStock) Warehouses(context.Context, string) ([]inv.Warehouse, error) {
	return []inv.Warehouse{{ID: 1, Name: "Matriz", Default: true}, {ID: 2, Name: "Sucursal"}}, nil
}

func (f *fakeStock) OnHand(_ context.Context, lf inv.LevelFilter) ([]inv.LevelRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, lf)
	var out []inv.LevelRow
	for _, l := range f.levels {
		if (lf.WarehouseID == 0 || l.WarehouseID == lf.WarehouseID) && l.Code > lf.AfterCode && len(out) < lf.Limit {
			out = append(out, l)
		}
	}
	return out, nil
}

func (f *fakeStock) StockMovements(_ context.Context, mf inv.MovementFilter) ([]inv.MovementRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.movesOf = append(f.movesOf, mf)
	return []inv.MovementRow{{Movement: inv.Movement{ID: 1, Kind: inv.Sale, Qty: decimal.NewFromInt(-2), Fecha: time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC)},
		Code: "LAP-14", Description: "Laptop", Warehouse: "Matriz", Document: "A-7"}}, nil
}

func (f *fakeStock) Short(context.Context, string, int) ([]inv.LevelRow, error) {
	return []inv.LevelRow{{Code: "LAP-14", Description: "Laptop", Level: inv.Level{Qty: decimal.NewFromInt(1)}, Minimum: decimal.NewFromInt(5)}}, nil
}

func (f *fakeStock) lastLevels() inv.LevelFilter {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[len(f.asked)-1]
}

// TestStockScreen: the area shows the levels of every warehouse, then of
// the one chosen; the movements with their document and Spanish kind
// between the typed dates; and the products below their minimum.
func TestStockScreen(t *testing.T) {
	_, q := uitest.NewApp(t)
	st := &fakeStock{}
	for i, code := range []string{"A-1", "B-2", "C-3"} {
		st.levels = append(st.levels, inv.LevelRow{Level: inv.Level{ProductID: int64(i + 1), WarehouseID: int64(1 + i%2), Qty: decimal.NewFromInt(int64(i))},
			Code: code, Description: "Producto " + code, Warehouse: []string{"Matriz", "Sucursal"}[i%2]})
	}
	s := NewScreen(Deps{Store: st}, "EKU9003173C9")
	w := test.NewWindow(s)
	defer w.Close()
	s.Reload()
	q.RunUntil(t, "levels", func() bool { return len(s.levels) == 3 && len(s.moves) == 1 && len(s.short) == 1 })
	if got := s.moveTable.Length; got == nil {
		t.Fatal("no movements table")
	}
	s.whSelect.SetSelectedIndex(2) // Sucursal
	q.RunUntil(t, "one warehouse", func() bool { return st.lastLevels().WarehouseID == 2 && len(s.levels) == 1 })
	s.from.SetText("01/11/2026")
	s.to.SetText("30/11/2026")
	s.loadMoves(false)
	q.RunUntil(t, "dated movements", func() bool {
		st.mu.Lock()
		defer st.mu.Unlock()
		f := st.movesOf[len(st.movesOf)-1]
		return f.From.Format(time.DateOnly) == "2026-11-01" && f.To.Format(time.DateOnly) == "2026-12-01"
	})
	s.from.SetText("2026-11-01")
	s.loadMoves(false)
	if s.status.Text != "Escriba las fechas como dd/mm/aaaa." {
		t.Errorf("bad date: %q", s.status.Text)
	}
}

// TestStockScreenFollowsChanges: the area reloads when stock may have
// moved elsewhere (another workstation's purchase, a post, a lost batch of
// events), and not for changes that move no stock.
func TestStockScreenFollowsChanges(t *testing.T) {
	_, q := uitest.NewApp(t)
	st := &fakeStock{}
	s := NewScreen(Deps{Store: st}, "EKU9003173C9")
	w := test.NewWindow(s)
	defer w.Close()
	asked := func() int {
		st.mu.Lock()
		defer st.mu.Unlock()
		return len(st.asked)
	}
	s.Reload()
	q.RunUntil(t, "first load", func() bool { return asked() > 0 })
	q.Drain(200 * time.Millisecond)
	before := asked()
	s.Changed([]event.Event{{Kind: event.DeliverySent}, {Kind: event.QuoteChanged}})
	q.Drain(200 * time.Millisecond)
	if n := asked(); n != before {
		t.Errorf("reloaded for changes that move no stock (%d more reads)", n-before)
	}
	for _, k := range []event.Kind{event.StockChanged, event.DocumentPosted, event.CancellationAnswered, event.Resync} {
		before := asked()
		s.Changed([]event.Event{{Kind: event.DeliverySent}, {Kind: k}})
		q.RunUntil(t, string(k), func() bool { return asked() > before })
		q.Drain(100 * time.Millisecond)
	}
}

// TestStockExport: the export follows the tab shown — every level of the
// warehouse chosen (paged past what the screen loaded), the movements
// between the typed dates, the products below their minimum — with
// quantities and costs as numbers and the movement's date as a date.
func TestStockExport(t *testing.T) {
	_, q := uitest.NewApp(t)
	st := &fakeStock{}
	for i := range 1203 {
		st.levels = append(st.levels, inv.LevelRow{Level: inv.Level{ProductID: int64(i + 1), WarehouseID: int64(1 + i%2), Qty: decimal.NewFromInt(int64(i))},
			Code: fmt.Sprintf("P%05d", i), Description: "Producto", Warehouse: []string{"Matriz", "Sucursal"}[i%2]})
	}
	s := NewScreen(Deps{Store: st}, "EKU9003173C9")
	w := test.NewWindow(s)
	defer w.Close()
	s.Reload()
	q.RunUntil(t, "levels", func() bool { return len(s.levels) == PageSize })
	rowsOf := func(e widgets.ListExport) []listing.Row {
		t.Helper()
		var out []listing.Row
		err := e.Rows(context.Background(), func(r listing.Row) error {
			if err := listing.Check(e.Columns, r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	e, ok := s.Export()
	if !ok || e.Title != "Existencias" || e.Columns[3].Kind != listing.Quantity || e.Columns[4].Kind != listing.Money {
		t.Fatalf("levels export %q %+v", e.Title, e.Columns)
	}
	if got := rowsOf(e); len(got) != 1203 {
		t.Errorf("levels exported: %d, want 1203", len(got))
	}
	s.whSelect.SetSelectedIndex(2) // Sucursal
	q.RunUntil(t, "one warehouse", func() bool { return st.lastLevels().WarehouseID == 2 })
	e, _ = s.Export()
	if got := rowsOf(e); len(got) != 601 || e.Title != "Existencias (Sucursal)" {
		t.Errorf("Sucursal exported %d rows as %q, want 601", len(got), e.Title)
	}
	s.tabs.SelectIndex(1)
	s.from.SetText("01/11/2026")
	e, _ = s.Export()
	if got := rowsOf(e); len(got) != 1 || got[0][0].(time.Time).IsZero() || got[0][1] != "Venta" {
		t.Errorf("movements exported %v", got)
	}
	st.mu.Lock()
	f := st.movesOf[len(st.movesOf)-1]
	st.mu.Unlock()
	if f.From.Format(time.DateOnly) != "2026-11-01" {
		t.Errorf("movements asked from %s", f.From)
	}
	s.tabs.SelectIndex(2)
	e, _ = s.Export()
	if got := rowsOf(e); len(got) != 1 || e.Title != "Por surtir" || !got[0][3].(decimal.Decimal).Equal(decimal.NewFromInt(5)) {
		t.Errorf("short exported %v as %q", got, e.Title)
	}
}
