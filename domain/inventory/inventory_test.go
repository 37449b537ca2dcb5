package inventory

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestNextAverageCost(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name               string
		qty, avg, in, cost string
		wantQty, wantAvg   string
		wantCost           string // the movement's unit cost after next
	}{
		{"first entry", "0", "0", "3", "10", "3", "10", "10"},
		{"entry averages", "3", "10", "1", "14", "4", "11", "14"},
		{"exit at average", "4", "11", "-1", "99", "3", "11", "11"},
		{"entry over negative takes its cost", "-2", "11", "5", "20", "3", "20", "20"},
		{"entry that stays negative takes its cost", "-5", "11", "2", "20", "-3", "20", "20"},
		{"thirds round to six places", "1", "1", "2", "2", "3", "1.666667", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after, m := next(Level{Qty: d(tt.qty), AvgCost: d(tt.avg)}, Movement{Qty: d(tt.in), UnitCost: d(tt.cost)})
			if !after.Qty.Equal(d(tt.wantQty)) || !after.AvgCost.Equal(d(tt.wantAvg)) || !m.UnitCost.Equal(d(tt.wantCost)) {
				t.Errorf("next = %s @%s (movement @%s), want %s @%s (@%s)", after.Qty, after.AvgCost, m.UnitCost, tt.wantQty, tt.wantAvg, tt.wantCost)
			}
		})
	}
}
