package sqlite

import (
	"context"
	"errors"
	"testing"

	"github.com/folio-mx/folio/domain/sales"
)

// TestWriteAmountsAllOrNothing: an amount with more decimals than the
// micro-unit columns hold writes nothing (the backfill then skips that
// document instead of failing to open the database).
func TestWriteAmountsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	d := mustSaveDraft(t, s, draftFor(c, "A"))
	a := sales.Amounts{Moneda: "MXN", TipoCambio: dec("1"), SubTotal: dec("10"), Total: dec("11.6"), TotalMXN: dec("11.6"),
		Taxes: []sales.DocumentTax{{Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: dec("0.160000"), Base: dec("10"), Importe: dec("1.6000001")}}}
	if err := writeAmounts(ctx, s.WriteDB(), d.ID, a); !errors.Is(err, errNotMicro) {
		t.Fatalf("writeAmounts with 7 decimals = %v, want errNotMicro", err)
	}
	if _, ok, err := s.FindAmounts(ctx, d.ID); ok || err != nil {
		t.Fatalf("after a refused write: amounts stored = %v (%v), want none", ok, err)
	}
	a.Taxes[0].Importe = dec("1.6")
	if err := writeAmounts(ctx, s.WriteDB(), d.ID, a); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.FindAmounts(ctx, d.ID)
	if err != nil || !ok || !got.Total.Equal(dec("11.6")) || len(got.Taxes) != 1 || !got.Taxes[0].Importe.Equal(dec("1.6")) {
		t.Fatalf("FindAmounts = %+v, %v, %v", got, ok, err)
	}
}
