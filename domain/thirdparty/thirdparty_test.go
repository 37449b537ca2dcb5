package thirdparty

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// tpLine is one concept of qty × price + 16 % IVA billed for third party id.
func tpLine(id int64, qty, price string) sales.Line {
	return sales.Line{Cantidad: dec(qty), ValorUnitario: dec(price), ObjetoImp: sales.ObjetoImpSi,
		Taxes: sales.Taxes{IVATasa: dec("0.16")}, ThirdParty: &sales.ThirdPartyRef{ID: id, RFC: "CACX7605101P8"}}
}

func TestDocRows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		doc          Doc
		billed, coll string // of third party 1
		state        DocState
	}{
		// The own part is 1,160.00, third party 1's 1,160.00: total 2,320.00.
		{"cash: collected at posting", Doc{Terms: sales.Contado, Total: dec("2320"), Lines: []sales.Line{tpLine(1, "1", "1000")}},
			"1160.00", "1160.00", Collected},
		{"credit unpaid", Doc{Terms: sales.Credito, Total: dec("2320"), Lines: []sales.Line{tpLine(1, "1", "1000")}},
			"1160.00", "0", Uncollected},
		{"credit paid in part: in proportion", Doc{Terms: sales.Credito, Total: dec("2320"), Paid: dec("580"),
			Lines: []sales.Line{tpLine(1, "1", "1000")}}, "1160.00", "290.00", PartlyPaid},
		{"credit paid in full", Doc{Terms: sales.Credito, Total: dec("2320"), Paid: dec("2320"),
			Lines: []sales.Line{tpLine(1, "1", "1000")}}, "1160.00", "1160.00", Collected},
		// A note returning 232.00 of the third party's concept: billed
		// 928.00 of a net 2,088.00; paying 1,044.00 (half) collects 464.00.
		{"credit note on the third party's part", Doc{Terms: sales.Credito, Total: dec("2320"), Credited: dec("232"), Paid: dec("1044"),
			Lines: []sales.Line{tpLine(1, "5", "200")},
			Notes: []Note{{Total: dec("232"), Credited: dec("232"), Lines: []sales.Line{tpLine(1, "1", "200")}}}},
			"928.00", "464.00", PartlyPaid},
		// A note crediting two invoices applies its share: half of 232.00.
		{"note shared with another invoice", Doc{Terms: sales.Credito, Total: dec("2320"), Credited: dec("116"),
			Lines: []sales.Line{tpLine(1, "5", "200")},
			Notes: []Note{{Total: dec("232"), Credited: dec("116"), Lines: []sales.Line{tpLine(1, "1", "200")}}}},
			"1044.00", "0", Uncollected},
		// Paid all that is left after an own-part note: fully collected.
		{"paid what the note left", Doc{Terms: sales.Credito, Total: dec("2320"), Credited: dec("1160"), Paid: dec("1160"),
			Lines: []sales.Line{tpLine(1, "1", "1000")}}, "1160.00", "1160.00", Collected},
		// Rounding never collects more than billed: 1/3 paid of 100.00.
		{"rounding", Doc{Terms: sales.Credito, Total: dec("300"), Paid: dec("100"), Lines: []sales.Line{tpLine(1, "1", "86.21")}},
			"100.00", "33.33", PartlyPaid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := DocRows(tt.doc, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			r := rows[0]
			if !r.Billed.Equal(dec(tt.billed)) || !r.Collected.Equal(dec(tt.coll)) || r.State != tt.state {
				t.Errorf("billed %s collected %s %s, want %s %s %s", r.Billed, r.Collected, r.State, tt.billed, tt.coll, tt.state)
			}
		})
	}
}

func TestComputeBalancesAndCSV(t *testing.T) {
	t.Parallel()
	docs := []Doc{
		{InvoiceID: 1, Serie: "A", Folio: 1, Moneda: "MXN", Terms: sales.Contado, Total: dec("1160"), Lines: []sales.Line{tpLine(1, "1", "1000")}},
		{InvoiceID: 2, Serie: "A", Folio: 2, Moneda: "USD", TipoCambio: dec("17.5"), Terms: sales.Credito, Total: dec("116"),
			Lines: []sales.Line{tpLine(1, "1", "100")}},
	}
	pays := []Payout{{ThirdPartyID: 1, Moneda: "MXN", Amount: dec("500")}, {ThirdPartyID: 1, Moneda: "MXN", Amount: dec("9"), CancelledAt: time.Now()}}
	rep, err := Compute(docs, pays, []sales.ThirdParty{{ID: 1, RFC: "CACX7605101P8", Name: "XOCHILT"}}, nil, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Balances) != 2 {
		t.Fatalf("balances %+v, want MXN and USD", rep.Balances)
	}
	mxn, usd := rep.Balances[0], rep.Balances[1]
	if !mxn.Owed.Equal(dec("660")) || !mxn.PendingPayout.Equal(dec("660")) || !usd.BilledMXN.Equal(dec("2030")) || !usd.Collected.IsZero() {
		t.Errorf("MXN %+v\nUSD %+v", mxn, usd)
	}
	var b bytes.Buffer
	if err := WriteBalancesCSV(&b, &rep, true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFFRFC,") || !strings.Contains(out, "CACX7605101P8,XOCHILT,MXN,1,1160.00,1160.00,500.00,660.00,660.00") ||
		!strings.Contains(out, "A-2,,,USD,17.5,116.00") {
		t.Errorf("CSV:\n%s", out)
	}
}

func TestBookAndCommissions(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC)
	docs := []BookDoc{
		{Tipo: "I", Serie: "A", Folio: 2, Fecha: at, Moneda: "MXN", SubTotal: dec("1500"), IVA: dec("240"), Total: dec("1740"),
			TPLines: []sales.Line{tpLine(1, "1", "500")}},
		{Tipo: "E", Serie: "NC", Folio: 1, Fecha: at, Moneda: "MXN", SubTotal: dec("100"), IVA: dec("16"), Total: dec("116")},
		{Tipo: "I", Serie: "A", Folio: 1, Fecha: at, Moneda: "USD", TipoCambio: dec("20"), SubTotal: dec("10"), IVA: dec("1.6"),
			Total: dec("11.6"), Cancelled: true},
	}
	b, err := ComputeBook(docs, []VoidedFolio{{Serie: "A", Folio: 3, At: at, Reason: "Hoja dañada"}}, nil, at, at)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range b.Rows {
		got = append(got, r.Number()+" "+string(r.Status))
	}
	if strings.Join(got, ", ") != "A-1 Cancelada, A-2 Vigente, A-3 Anulado, NC-1 Vigente" {
		t.Errorf("rows %v", got)
	}
	r := b.Rows[1]
	if !r.Own.Equal(dec("1000")) || !r.ThirdParty.Equal(dec("500")) || !b.Rows[0].Total.Equal(dec("232")) {
		t.Errorf("split %+v / %+v", r, b.Rows[0])
	}
	if t2 := b.Totals; !t2.Total.Equal(dec("1624")) || !t2.Own.Equal(dec("900")) || !t2.IVA.Equal(dec("224")) {
		t.Errorf("totals exclude cancelled and voided: %+v", t2)
	}
	inv := sales.Invoice{ID: 9, Serie: "A", Folio: 2, Moneda: "USD", TipoCambio: dec("20"),
		Lines: []sales.Line{{Cantidad: dec("1"), ValorUnitario: dec("100"), Descuento: dec("10"), ObjetoImp: sales.ObjetoImpSi,
			Taxes: sales.Taxes{IVATasa: dec("0.16")}}, tpLine(1, "1", "500")},
		Details: &sales.SaleDetails{Sellers: []sales.SellerShare{{Name: "Ana", Percent: dec("2.5")}, {Name: "Luis", Percent: dec("1")}}}}
	c, err := ComputeCommissions([]sales.Invoice{inv}, nil, at, at)
	if err != nil {
		t.Fatal(err)
	}
	// Own base 90 USD × 20 = 1,800.00 MXN: 45.00 and 18.00.
	if len(c.Sellers) != 2 || !c.Sellers[0].Amount.Equal(dec("45")) || !c.Sellers[1].Amount.Equal(dec("18")) || !c.Total.Equal(dec("63")) {
		t.Errorf("commissions %+v", c)
	}
}
