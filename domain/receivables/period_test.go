package receivables

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestStatementPeriod: the opening balance is what came before the period,
// the lines run in date order with their balance, other currencies stay
// out, and the closing balance is opening + charges − credits.
func TestStatementPeriod(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d.Add(18 * time.Hour) }
	d := decimal.RequireFromString
	st := Statement{Movements: []Movement{
		{Kind: Invoice, Serie: "A", Folio: 1, Fecha: at("2026-10-20"), Moneda: "MXN", Amount: d("1160")},
		{Kind: Payment, Serie: "P", Folio: 1, Fecha: at("2026-11-10"), Moneda: "MXN", Amount: d("-500")},
		{Kind: Invoice, Serie: "A", Folio: 2, Fecha: at("2026-11-05"), Moneda: "MXN", Amount: d("2320")},
		{Kind: CreditNote, Serie: "NC", Folio: 1, Fecha: at("2026-11-20"), Moneda: "MXN", Amount: d("-232")},
		{Kind: Invoice, Serie: "A", Folio: 3, Fecha: at("2026-11-06"), Moneda: "USD", Amount: d("100")},
		{Kind: Invoice, Serie: "A", Folio: 4, Fecha: at("2026-12-02"), Moneda: "MXN", Amount: d("999")},
	}}
	p := StatementPeriod(st, "MXN", at("2026-11-01"), at("2026-11-30"))
	if !p.Opening.Equal(d("1160")) || !p.Charges.Equal(d("2320")) || !p.Credits.Equal(d("732")) || !p.Closing.Equal(d("2748")) {
		t.Errorf("opening %s charges %s credits %s closing %s; want 1160 2320 732 2748", p.Opening, p.Charges, p.Credits, p.Closing)
	}
	want := []struct {
		folio   int64
		balance string
	}{{2, "3480"}, {1, "2980"}, {1, "2748"}}
	if len(p.Lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(p.Lines), len(want))
	}
	for i, w := range want {
		if p.Lines[i].Folio != w.folio || !p.Lines[i].Balance.Equal(d(w.balance)) {
			t.Errorf("line %d: %s-%d balance %s, want folio %d balance %s", i, p.Lines[i].Serie, p.Lines[i].Folio, p.Lines[i].Balance, w.folio, w.balance)
		}
	}
	if got := st.Currencies(); len(got) != 2 || got[0] != "MXN" || got[1] != "USD" {
		t.Errorf("currencies %v", got)
	}
}
