package sqlite

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/sat"
)

// TestCatalogSearchInMemoryAgrees: the in-memory search of the embedded
// catalogs (sat.Catalogs.Search, what the window searches on a PostgreSQL
// server) answers what the store's catalog tables answer, in the same
// order, for key prefixes, words with and without accents, several words,
// the empty query and a search by key only (c_CodigoPostal).
func TestCatalogSearchInMemoryAgrees(t *testing.T) {
	s, _ := loadCatalogs(t)
	mem, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct{ catalog, query string }{
		{sat.ClaveProdServ, ""},
		{sat.ClaveProdServ, "0101"},
		{sat.ClaveProdServ, "5010"},
		{sat.ClaveProdServ, "mantequilla"},
		{sat.ClaveProdServ, "tornillo acero"},
		{sat.ClaveProdServ, "Computadora"},
		{sat.ClaveProdServ, "cafe"},
		{sat.ClaveProdServ, "serv consult"},
		{sat.ClaveUnidad, "h8"},
		{sat.ClaveUnidad, "kilo"},
		{sat.ClaveUnidad, "pieza"},
		{sat.FormaPago, "transferencia"},
		{sat.FormaPago, "0"},
		{sat.RegimenFiscal, "general"},
		{sat.CodigoPostal, "4500"},
		{sat.CodigoPostal, "jalisco"},
		{sat.Moneda, "peso"},
		{sat.Pais, "méxico"},
		{sat.UsoCFDI, "g0"},
		{sat.ClaveProdServ, "zzzzqqq"},
	}
	for _, tt := range tests {
		for _, limit := range []int{5, 50} {
			want, err := s.SearchCatalog(ctx, tt.catalog, tt.query, limit)
			if err != nil {
				t.Fatal(err)
			}
			got, err := mem.Search(tt.catalog, tt.query, limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("%s %q limit %d: %d entries in memory, %d in the store", tt.catalog, tt.query, limit, len(got), len(want))
				continue
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s %q limit %d: entry %d = %v, store %v", tt.catalog, tt.query, limit, i, got[i], want[i])
					break
				}
			}
		}
	}
	if got, _ := mem.Search(sat.ClaveProdServ, "mantequilla", 50); len(got) == 0 {
		t.Error("mantequilla: nothing found in c_ClaveProdServ")
	}
	if _, err := mem.Search("c_NoExiste", "x", 5); err == nil {
		t.Error("unknown catalog: no error")
	}
}
