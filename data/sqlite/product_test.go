package sqlite

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

func TestProductStore(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	var ids []int64
	for _, p := range sales.DemoProducts() {
		if err := s.CreateProduct(ctx, &p); err != nil {
			t.Fatalf("CreateProduct(%s): %v", p.Code, err)
		}
		ids = append(ids, p.ID)
	}
	// Round trip keeps the six decimals of a price and every tax.
	p, err := s.FindProductByID(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	want := sales.DemoProducts()[2]
	if p.Code != want.Code || !p.Price.Equal(want.Price) || !p.Taxes.RetIVA.Equal(want.Taxes.RetIVA) ||
		!p.Taxes.RetISR.Equal(want.Taxes.RetISR) || !p.Taxes.IVATasa.Equal(want.Taxes.IVATasa) || p.ObjetoImp != "02" {
		t.Errorf("FindProductByID = %+v, want %+v", p, want)
	}
	p.Price = dec("850.123456")
	p.Taxes.IEPSFactor, p.Taxes.IEPSValor = sales.FactorCuota, dec("6.4555")
	if err := s.UpdateProduct(ctx, &p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindProductByID(ctx, p.ID)
	if got.Price.String() != "850.123456" || got.Taxes.IEPSFactor != sales.FactorCuota || !got.Taxes.IEPSValor.Equal(dec("6.4555")) {
		t.Errorf("after update = %+v", got)
	}
	// A duplicate code is a Conflict, on create and on update.
	dup := sales.DemoProducts()[0]
	if err := s.CreateProduct(ctx, &dup); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate create: %v, want Conflict", err)
	}
	got.Code = sales.DemoProducts()[0].Code
	if err := s.UpdateProduct(ctx, &got); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate update: %v, want Conflict", err)
	}
	// Search by words and by exact code; inactive ones hidden.
	for q, n := range map[string]int{"portátil": 1, "cafe grano": 1, "LAP-14": 1, "pieza": 0, "raton": 1, "": 5} {
		ps, err := s.FindProducts(ctx, sales.ProductFilter{Query: q})
		if err != nil || len(ps) != n {
			t.Errorf("FindProducts(%q) = %d rows (%v), want %d", q, len(ps), err, n)
		}
	}
	if err := s.SetProductActive(ctx, ids[0], false); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.FindProducts(ctx, sales.ProductFilter{Query: "portatil"}); len(ps) != 0 {
		t.Errorf("inactive product found: %v", ps)
	}
	if err := s.SetProductActive(ctx, 999, false); domain.KindOf(err) != domain.NotFound {
		t.Errorf("SetProductActive(missing) = %v, want NotFound", err)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
