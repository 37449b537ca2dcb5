package sqlite

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

const testIssuer = "EKU9003173C9"

func mustCreateSeries(tb testing.TB, s *Store, serie, tipo string) sales.Series {
	tb.Helper()
	sr := sales.Series{Issuer: testIssuer, Serie: serie, TipoDeComprobante: tipo, NextFolio: 1, Active: true}
	if err := s.CreateSeries(context.Background(), &sr); err != nil {
		tb.Fatalf("CreateSeries(%s): %v", serie, err)
	}
	return sr
}

func TestSeriesStore(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	mustCreateSeries(t, s, "NC", "E")
	dup := sales.Series{Issuer: testIssuer, Serie: "A", TipoDeComprobante: "I", NextFolio: 1}
	if err := s.CreateSeries(ctx, &dup); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate series: %v, want Conflict", err)
	}
	list, err := s.FindSeries(ctx, testIssuer)
	if err != nil || len(list) != 2 || list[0].TipoDeComprobante != "E" {
		t.Fatalf("FindSeries = %+v, %v", list, err)
	}
	// Voiding the next number moves the series on; voiding it twice clashes;
	// numbers beyond next cannot be voided (that would hide a gap).
	if err := s.VoidFolio(ctx, testIssuer, "A", 1, "Hoja dañada"); err != nil {
		t.Fatal(err)
	}
	if err := s.VoidFolio(ctx, testIssuer, "A", 1, "otra vez"); domain.KindOf(err) != domain.Conflict {
		t.Errorf("void twice: %v, want Conflict", err)
	}
	if err := s.VoidFolio(ctx, testIssuer, "A", 5, "lejos"); domain.KindOf(err) != domain.Invalid {
		t.Errorf("void ahead: %v, want Invalid", err)
	}
	if err := s.VoidFolio(ctx, testIssuer, "Z", 1, "no existe"); domain.KindOf(err) != domain.NotFound {
		t.Errorf("void in missing series: %v, want NotFound", err)
	}
	list, _ = s.FindSeries(ctx, testIssuer)
	if list[1].NextFolio != 2 {
		t.Errorf("NextFolio after void = %d, want 2", list[1].NextFolio)
	}
	if n, err := s.CountVoidedFolios(ctx, testIssuer, "A"); err != nil || n != 1 {
		t.Errorf("CountVoidedFolios = %d, %v, want 1", n, err)
	}
}
