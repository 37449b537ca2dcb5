package sqlite

import (
	"context"
	"testing"

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
