package sales

import (
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	a := &ThirdPartyRef{ID: 1, RFC: "CACX7605101P8"}
	b := &ThirdPartyRef{ID: 2, RFC: "IIA040805DZ4"}
	iva16 := Taxes{IVATasa: dec("0.16")}
	line := func(qty, price, disc string, tx Taxes, tp *ThirdPartyRef) Line {
		return Line{Cantidad: dec(qty), ValorUnitario: dec(price), Descuento: dec(disc), ObjetoImp: ObjetoImpSi, Taxes: tx, ThirdParty: tp}
	}
	tests := []struct {
		name       string
		lines      []Line
		own, third PartAmounts
		byParty    map[int64]string
	}{
		{"all own", []Line{line("2", "100", "0", iva16, nil)},
			PartAmounts{SubTotal: dec("200"), Traslados: dec("32"), Total: dec("232")}, PartAmounts{}, map[int64]string{}},
		// A customs broker: its fee with IVA and withholdings, the import
		// duties and freight paid for its client billed on its behalf.
		{"broker", []Line{
			line("1", "1500", "0", Taxes{IVATasa: dec("0.16"), RetIVA: dec("0.106667"), RetISR: dec("0.10")}, nil),
			line("1", "8000", "0", Taxes{IVAExento: true}, a),
			line("3", "333.335", "10", iva16, a),
			line("1", "50", "0", iva16, b),
		},
			PartAmounts{SubTotal: dec("1500"), Traslados: dec("240"), Retenciones: dec("310"), Total: dec("1430")},
			// 3 × 333.335 = 1000.005 → 1000.01; base 990.01; IVA 158.4016 → 158.40.
			PartAmounts{SubTotal: dec("9050.01"), Descuento: dec("10"), Traslados: dec("166.40"), Total: dec("9206.41")},
			map[int64]string{1: "9148.41", 2: "58"}},
		{"all third", []Line{line("1", "0.125", "0", iva16, b)},
			PartAmounts{}, PartAmounts{SubTotal: dec("0.13"), Traslados: dec("0.02"), Total: dec("0.15")}, map[int64]string{2: "0.15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &Invoice{Moneda: "MXN", Lines: tt.lines}
			own, third, err := inv.Split(2)
			if err != nil {
				t.Fatal(err)
			}
			checkPart(t, "own", own, tt.own)
			checkPart(t, "third", third, tt.third)
			tot, err := Compute(inv, 2)
			if err != nil {
				t.Fatal(err)
			}
			if sum := own.Total.Add(third.Total); !sum.Equal(tot.Total) {
				t.Errorf("own + third = %s, document Total %s", sum, tot.Total)
			}
			got, err := inv.ThirdPartyTotals(2)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.byParty) {
				t.Errorf("ThirdPartyTotals() = %v, want %v", got, tt.byParty)
			}
			for id, want := range tt.byParty {
				if !got[id].Equal(dec(want)) {
					t.Errorf("ThirdPartyTotals()[%d] = %s, want %s", id, got[id], want)
				}
			}
		})
	}
}

func checkPart(t *testing.T, name string, got, want PartAmounts) {
	t.Helper()
	pairs := []struct {
		field     string
		got, want decimal.Decimal
	}{
		{"SubTotal", got.SubTotal, want.SubTotal}, {"Descuento", got.Descuento, want.Descuento},
		{"Traslados", got.Traslados, want.Traslados}, {"Retenciones", got.Retenciones, want.Retenciones},
		{"Total", got.Total, want.Total},
	}
	for _, p := range pairs {
		if !p.got.Equal(p.want) {
			t.Errorf("%s.%s = %s, want %s", name, p.field, p.got, p.want)
		}
	}
}

// TestSplitAddsUp checks on random invoices that the parts add up to the
// document exactly, field by field, as the CFDI carries it.
func TestSplitAddsUp(t *testing.T) {
	t.Parallel()
	seed := rand.Int63()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	rates := []Taxes{{IVATasa: dec("0.16")}, {IVATasa: dec("0.08")}, {IVAExento: true},
		{IVATasa: dec("0.16"), RetIVA: dec("0.106667"), RetISR: dec("0.10")},
		{IVATasa: dec("0.16"), IEPSFactor: FactorTasa, IEPSValor: dec("0.265")}}
	for i := 0; i < 300; i++ {
		inv := &Invoice{Moneda: "MXN"}
		for n := 1 + r.Intn(8); n > 0; n-- {
			var tp *ThirdPartyRef
			if r.Intn(2) == 0 {
				tp = &ThirdPartyRef{ID: int64(1 + r.Intn(3))}
			}
			qty := decimal.New(int64(1+r.Intn(5000)), -int32(r.Intn(4)))
			price := decimal.New(int64(1+r.Intn(10000000)), -int32(r.Intn(7)))
			inv.Lines = append(inv.Lines, Line{Cantidad: qty, ValorUnitario: price, ObjetoImp: ObjetoImpSi,
				Taxes: rates[r.Intn(len(rates))], ThirdParty: tp})
		}
		tot, err := Compute(inv, 2)
		if err != nil {
			t.Fatal(err)
		}
		own, third := SplitTotals(inv, tot)
		sums := []struct {
			field     string
			got, want decimal.Decimal
		}{
			{"SubTotal", own.SubTotal.Add(third.SubTotal), tot.SubTotal},
			{"Descuento", own.Descuento.Add(third.Descuento), tot.Descuento},
			{"Traslados", own.Traslados.Add(third.Traslados), tot.TotalImpuestosTrasladados},
			{"Retenciones", own.Retenciones.Add(third.Retenciones), tot.TotalImpuestosRetenidos},
			{"Total", own.Total.Add(third.Total), tot.Total},
		}
		for _, s := range sums {
			if !s.got.Equal(s.want) {
				t.Fatalf("invoice %d: own + third %s = %s, document %s", i, s.field, s.got, s.want)
			}
		}
		byParty, err := inv.ThirdPartyTotals(2)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, v := range byParty {
			sum = sum.Add(v)
		}
		if !sum.Equal(third.Total) {
			t.Fatalf("invoice %d: Σ ThirdPartyTotals = %s, third.Total %s", i, sum, third.Total)
		}
	}
}
