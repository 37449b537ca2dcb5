package invoices

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// revertStore is the fake list store whose invoices a fakeReverter marks
// reverted, counting the reverted ones not cancelled.
type revertStore struct {
	*fakeStore
	mu       sync.Mutex
	reverted map[int64]bool
}

func (s *revertStore) FindInvoices(ctx context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error) {
	all := f
	all.Status = ""
	rows, err := s.fakeStore.FindInvoices(ctx, all)
	s.fakeStore.mu.Lock()
	s.fakeStore.filters[len(s.fakeStore.filters)-1] = f
	s.fakeStore.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sales.InvoiceRow
	for _, r := range rows {
		r.Reverted = s.reverted[r.ID] && r.Status != sales.StatusCancelled
		if f.Status == sales.StatusReverted && !r.Reverted {
			continue
		}
		out = append(out, r)
	}
	return out, err
}

func (s *revertStore) RevertedPending(context.Context, string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.fakeStore.rows {
		if s.reverted[r.ID] && r.Status != sales.StatusCancelled {
			n++
		}
	}
	return n, nil
}

func (s *revertStore) RevertInvoice(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reverted[id] = true
	return nil
}

// TestRevertedInvoiceInTheList: "Revertir salida…" on a stamped invoice
// reverts it; the row then reads Revertida in blue, the Revertidas tab asks
// the store for them, and the banner says how many wait for their
// cancellation; a cancelled invoice is not offered the revert.
func TestRevertedInvoiceInTheList(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := &revertStore{fakeStore: newFakeStore(3), reverted: map[int64]bool{}}
	for i := range store.rows {
		store.rows[i].Tipo = sales.TipoIngreso
	}
	store.rows[2].State, store.rows[2].Status = sales.StateCancelled, sales.StatusCancelled
	l := NewInvoiceList(store, "EKU9003173C9")
	l.Tipo = sales.TipoIngreso
	l.Revert = store
	w := test.NewWindow(l)
	defer w.Close()
	l.Reload()
	q.RunUntil(t, "rows", func() bool { return len(l.rows) == 3 && !l.loading })
	if l.banner.Visible() {
		t.Error("banner shown with nothing reverted")
	}
	l.selectRow(2)
	if !l.btnRevert.Disabled() {
		t.Error("Revertir salida offered on a cancelled invoice")
	}
	l.selectRow(0)
	if l.btnRevert.Disabled() {
		t.Fatal("Revertir salida not offered on a stamped invoice")
	}
	l.revert(l.rows[0].id)
	q.RunUntil(t, "reverted row", func() bool { return len(l.rows) == 3 && l.rows[0].reverted && !l.loading })
	if l.rows[0].st != "Revertida" {
		t.Errorf("ST = %q, want Revertida", l.rows[0].st)
	}
	q.RunUntil(t, "banner", func() bool { return l.banner.Visible() })
	if want := "Facturas revertidas sin cancelar: 1. Cancélelas en el SAT desde la pestaña «Revertidas»."; l.banner.Text != want {
		t.Errorf("banner %q", l.banner.Text)
	}
	l.selectRow(0)
	if !l.btnRevert.Disabled() {
		t.Error("Revertir salida offered again on a reverted invoice")
	}
	cell := l.table.CreateCell()
	l.table.UpdateCell(widget.TableCellID{Row: 0, Col: 0}, cell)
	if lb := cell.(*fyne.Container).Objects[1].(*widget.Label); lb.Importance != widget.HighImportance {
		t.Errorf("a reverted row is drawn with importance %v, want HighImportance (blue)", lb.Importance)
	}
	for i, tab := range Tabs {
		if tab.Status == sales.StatusReverted {
			l.tabs.SetSelectedIndex(i)
		}
	}
	q.RunUntil(t, "Revertidas tab", func() bool { return store.lastFilter().Status == sales.StatusReverted && !l.loading })
	q.RunUntil(t, "one reverted", func() bool { return len(l.rows) == 1 })
}
