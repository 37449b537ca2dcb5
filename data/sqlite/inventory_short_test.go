package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain/sales"
)

// TestShort: "Por surtir" lists, by code, the tracked active products
// whose quantity in the company's warehouses together is below their
// minimum, to the micro-unit — the SQL filter is coarse, the decimal
// comparison decides —; another company's stock does not count; products
// without a minimum, untracked or inactive are never listed; limit cuts.
func TestShort(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	now := salesTimeText(salesClock)
	for _, q := range []string{
		`INSERT INTO warehouses (id, issuer, name, is_default, created_at) VALUES (1, '` + testIssuer + `', 'Matriz', 1, '` + now + `'),
			(2, '` + testIssuer + `', 'Sucursal', 0, '` + now + `'), (3, 'OTRA010101AAA', 'Ajena', 1, '` + now + `')`,
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		code, min  string
		track, off bool
		levels     map[int]int64 // warehouse → micro-units
		short      bool
	}{
		{code: "A-NONE", min: "5", track: true, short: true},                                                       // no level at all
		{code: "B-EXACT", min: "2.5", track: true, levels: map[int]int64{1: 2_000_000, 2: 500_000}},                // equal: not short
		{code: "C-MICRO", min: "2.5", track: true, levels: map[int]int64{1: 2_499_999}, short: true},               // one micro below
		{code: "D-ABOVE", min: "2.000001", track: true, levels: map[int]int64{1: 2_000_001}},                       // equal to the micro
		{code: "E-FOREIGN", min: "3", track: true, levels: map[int]int64{1: 1_000_000, 3: 9_000_000}, short: true}, // the other company's 9 do not count
		{code: "F-NEG", min: "0.5", track: true, levels: map[int]int64{2: -1_000_000}, short: true},
		{code: "G-NOMIN", min: "0", track: true},
		{code: "H-UNTRACKED", min: "5", track: false},
		{code: "I-INACTIVE", min: "5", track: true, off: true},
		{code: "J-BIG", min: "123456789.123456", track: true, levels: map[int]int64{1: 123456789_123455}, short: true},
		{code: "K-BIG-OK", min: "123456789.123456", track: true, levels: map[int]int64{1: 123456789_123456}},
	} {
		p := sales.DemoProducts()[0]
		p.Code, p.TrackStock, p.MinStock, p.Active = tt.code, tt.track, dec(tt.min), !tt.off
		if err := s.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
		for w, q := range tt.levels {
			if _, err := s.w.ExecContext(ctx, `INSERT INTO stock_levels (product_id, warehouse_id, qty_micro, avg_cost_micro) VALUES (?, ?, ?, 0)`, p.ID, w, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := "A-NONE C-MICRO E-FOREIGN F-NEG J-BIG"
	rows, err := s.Short(ctx, testIssuer, 500)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Code)
	}
	if strings.Join(got, " ") != want {
		t.Errorf("Short = %v, want %s", got, want)
	}
	if len(rows) > 2 && (!rows[2].Qty.Equal(dec("1")) || !rows[2].Minimum.Equal(dec("3"))) {
		t.Errorf("E-FOREIGN: qty %s, minimum %s; want 1 and 3", rows[2].Qty, rows[2].Minimum)
	}
	if rows, err := s.Short(ctx, testIssuer, 2); err != nil || len(rows) != 2 || rows[1].Code != "C-MICRO" {
		t.Errorf("Short limited to 2 = %+v, %v", rows, err)
	}
}
