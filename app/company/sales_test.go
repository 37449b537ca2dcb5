package company

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// TestSalesPanel: each check is saved at once for the active company and
// announced; reloading shows what is stored.
func TestSalesPanel(t *testing.T) {
	_, q := uitest.NewApp(t)
	store := sqlite.MustOpenTest(t)
	var announced []sales.SalesSettings
	p := NewSalesPanel(store, func() string { return "EKU9003173C9" })
	p.OnChanged = func(s sales.SalesSettings) { announced = append(announced, s) }
	w := test.NewWindow(p)
	t.Cleanup(w.Close)
	p.Reload()
	q.RunUntil(t, "loaded", func() bool { return !p.ThirdParties.Disabled() })
	if p.ThirdParties.Checked || p.MultipleSellers.Checked {
		t.Fatal("a new company starts with both off")
	}
	test.Tap(p.ThirdParties)
	q.RunUntil(t, "saved", func() bool { return len(announced) == 1 })
	test.Tap(p.MultipleSellers)
	q.RunUntil(t, "saved again", func() bool { return len(announced) == 2 })
	got, err := store.SalesSettings(context.Background(), "EKU9003173C9")
	if err != nil || !got.ThirdParties || !got.MultipleSellers || announced[0] != (sales.SalesSettings{ThirdParties: true}) {
		t.Fatalf("stored %+v, %v; announced %+v", got, err, announced)
	}
	// Another company's settings are apart.
	if other, _ := store.SalesSettings(context.Background(), "CACX7605101P8"); other.ThirdParties {
		t.Error("the setting leaked to another company")
	}
	p2 := NewSalesPanel(store, func() string { return "EKU9003173C9" })
	p2.Reload()
	q.RunUntil(t, "reloaded", func() bool { return !p2.ThirdParties.Disabled() })
	if !p2.ThirdParties.Checked || !p2.MultipleSellers.Checked {
		t.Error("reloaded panel does not show the stored settings")
	}
}
