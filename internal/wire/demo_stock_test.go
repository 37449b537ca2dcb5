package wire

import (
	"context"
	"io"
	"testing"

	"github.com/folio-mx/folio/domain/inventory"
)

// TestDemoOpensWithStock: the demo records an opening stock before its
// invoices, so Existencias shows what is left after them (a laptop and
// two mice sold from 10 and 40) and no product below zero.
func TestDemoOpensWithStock(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	co, err := SeedDemo(ctx, s, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.OnHand(ctx, inventory.LevelFilter{Issuer: co.RFC, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Code] = r.Qty.String()
		if r.Qty.IsNegative() {
			t.Errorf("%s: %s on hand after the demo", r.Code, r.Qty)
		}
	}
	if got["LAP-14"] != "9" || got["MOU-01"] != "38" || got["ALI-CAFE"] != "60" {
		t.Errorf("demo stock = %v, want LAP-14 9, MOU-01 38, ALI-CAFE 60", got)
	}
}
