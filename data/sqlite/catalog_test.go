package sqlite

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// loadCatalogs opens a store in a temporary folder and loads the embedded
// catalogs into it, recording the progress calls.
func loadCatalogs(tb testing.TB) (*Store, []int) {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	var calls []int
	err = s.EnsureCatalogs(context.Background(), assets.Catalogs, assets.CatalogsVersion, func(done, total int) {
		calls = append(calls, done, total)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s, calls
}

// embeddedRows counts the data rows of each embedded catalog with
// encoding/csv, independently of the code under test.
func embeddedRows(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	names, _ := fs.Glob(assets.Catalogs, "*.csv.gz")
	for _, n := range names {
		data, _ := fs.ReadFile(assets.Catalogs, n)
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(zr).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out[n[:len(n)-len(".csv.gz")]] = len(recs) - 1
	}
	return out
}

// TestCatalogs loads the real catalogs once (a few seconds) and checks the
// counts and the search on them.
func TestCatalogs(t *testing.T) {
	s, calls := loadCatalogs(t)
	t.Run("counts", func(t *testing.T) { testCatalogCounts(t, s, calls) })
	t.Run("search", func(t *testing.T) { testSearchCatalog(t, s) })
}

func testCatalogCounts(t *testing.T, s *Store, calls []int) {
	ctx := context.Background()
	got, err := s.CatalogCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := embeddedRows(t)
	if len(want) != len(sat.Names()) {
		t.Fatalf("embedded catalogs = %d, want %d", len(want), len(sat.Names()))
	}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s: %d rows loaded, CSV has %d", name, got[name], n)
		}
	}
	if got[sat.ClaveProdServ] != 52514 {
		t.Errorf("c_ClaveProdServ rows = %d, want 52514", got[sat.ClaveProdServ])
	}
	// Progress went up to done == total.
	if len(calls) < 4 || calls[len(calls)-2] != calls[len(calls)-1] {
		t.Errorf("progress calls = %v", calls)
	}
	for i := 2; i < len(calls); i += 2 {
		if calls[i] < calls[i-2] {
			t.Errorf("progress went back: %v", calls)
		}
	}
	if v, err := s.CatalogsVersion(ctx); err != nil || v != assets.CatalogsVersion {
		t.Errorf("CatalogsVersion = %q, %v", v, err)
	}
	// The JSON of a row keeps the other non-empty columns.
	var data string
	if err := s.ReadDB().QueryRow(`SELECT data FROM catalog_entries WHERE catalog = 'c_CodigoPostal' AND key = '06300'`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if data != `{"c_Estado":"DIF","c_Municipio":"015","c_Localidad":"06","estimulo_franja_fronteriza":"0","huso_horario":"Tiempo del Centro"}` {
		t.Errorf("data of CP 06300 = %s", data)
	}
}

func testSearchCatalog(t *testing.T, s *Store) {
	ctx := context.Background()
	tests := []struct {
		name, catalog, query string
		wantKey              string // must be among the results
		first                bool   // and be the first one
		absentKey            string // must not be among the results
	}{
		{"accent-insensitive", sat.ClaveProdServ, "servicios facturacion", "84111506", true, ""},
		{"accent typed", sat.ClaveProdServ, "FACTURACIÓN", "84111506", false, ""},
		{"plural by prefix", sat.ClaveProdServ, "refresco", "50202306", true, ""},
		{"similares", sat.ClaveProdServ, "burros", "10101509", true, ""},
		{"two words in any order", sat.ClaveProdServ, "general publico", "01010101", false, ""},
		{"key prefix", sat.ClaveProdServ, "5020230", "50202306", false, ""},
		{"expired key hidden", sat.ClaveProdServ, "15101506", "", false, "15101506"},
		{"uso by key lower case", sat.UsoCFDI, "g03", "G03", true, ""},
		{"uso by words", sat.UsoCFDI, "gastos general", "G03", true, ""},
		{"forma de pago", sat.FormaPago, "credito", "04", true, ""},
		{"unidad by name", sat.ClaveUnidad, "pieza", "H87", true, ""},
		{"unidad by key", sat.ClaveUnidad, "H87", "H87", true, ""},
		{"cp by prefix", sat.CodigoPostal, "4250", "42501", false, ""},
		{"cp exact", sat.CodigoPostal, "06300", "06300", true, ""},
		{"estado", sat.Estado, "mexico", "CMX", false, ""},
		{"tipo factor mixed-case key", sat.TipoFactor, "tasa", "Tasa", true, ""},
		{"wrong catalog", sat.UsoCFDI, "refresco", "", false, "50202306"},
		{"punctuation only", sat.UsoCFDI, "\"*-(", "", false, "G03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchCatalog(ctx, tt.catalog, tt.query, 20)
			if err != nil {
				t.Fatal(err)
			}
			idx := -1
			for i, e := range got {
				if e.Catalog != tt.catalog {
					t.Errorf("entry %+v from another catalog", e)
				}
				if e.Key == tt.wantKey && idx < 0 {
					idx = i
				}
				if e.Key == tt.absentKey {
					t.Errorf("%s found, want absent", tt.absentKey)
				}
			}
			if tt.wantKey != "" && (idx < 0 || tt.first && idx != 0) {
				t.Errorf("SearchCatalog(%s, %q) = %v; want %s %s", tt.catalog, tt.query, got, tt.wantKey, map[bool]string{true: "first", false: "included"}[tt.first])
			}
		})
	}

	// Every word must match.
	got, err := s.SearchCatalog(ctx, sat.ClaveProdServ, "refresco zzzz", 20)
	if err != nil || len(got) != 0 {
		t.Errorf("all words must match: %v, %v", got, err)
	}
	// limit is honoured; empty query lists from the start.
	got, err = s.SearchCatalog(ctx, sat.UsoCFDI, "", 3)
	if err != nil || len(got) != 3 || got[0].Key != "G01" {
		t.Errorf("empty query = %v, %v", got, err)
	}
	got, err = s.SearchCatalog(ctx, sat.ClaveProdServ, "agua", 7)
	if err != nil || len(got) != 7 {
		t.Errorf("limit 7 gave %d, %v", len(got), err)
	}
	_, err = s.SearchCatalog(ctx, "c_Inexistente", "x", 5)
	if domain.KindOf(err) != domain.Invalid {
		t.Errorf("unknown catalog: %v", err)
	}
}

func TestEnsureCatalogsReloadsOnNewVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenTest(t)
	tiny := tinyCatalogs("Enero")
	calls := 0
	count := func(done, total int) { calls++ }
	if err := s.EnsureCatalogs(ctx, tiny, "v1", count); err != nil {
		t.Fatal(err)
	}
	first := calls
	// Same version: nothing is done.
	if err := s.EnsureCatalogs(ctx, tiny, "v1", count); err != nil || calls != first {
		t.Fatalf("same version reloaded (calls %d→%d, err %v)", first, calls, err)
	}
	// New data and version: the tables are replaced.
	if err := s.EnsureCatalogs(ctx, tinyCatalogs("Enerito"), "v2", count); err != nil {
		t.Fatal(err)
	}
	if calls == first {
		t.Error("new version did not reload")
	}
	got, err := s.SearchCatalog(ctx, sat.Meses, "enerito", 5)
	if err != nil || len(got) != 1 || got[0].Key != "01" {
		t.Errorf("after reload: %v, %v", got, err)
	}
	if got, _ := s.SearchCatalog(ctx, sat.Meses, "enero", 5); len(got) != 0 {
		t.Errorf("old rows still searchable: %v", got)
	}
	counts, err := s.CatalogCounts(ctx)
	if err != nil || counts[sat.Meses] != 1 || counts[sat.Moneda] != 1 {
		t.Errorf("counts after reload = %v, %v", counts, err)
	}
	// Broken catalog data fails without touching the loaded tables.
	err = s.EnsureCatalogs(ctx, fstest.MapFS{}, "v3", nil)
	if domain.KindOf(err) != domain.Internal || domain.UserMessage(err) == "" {
		t.Errorf("missing catalogs: %v", err)
	}
	if v, _ := s.CatalogsVersion(ctx); v != "v2" {
		t.Errorf("version after failed load = %q", v)
	}
}

// tinyCatalogs is a catalog set with one row per catalog; c_Meses "01" is
// described as mes.
func tinyCatalogs(mes string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range sat.Names() {
		body := name + ",descripcion\nX1,Algo\n"
		switch name {
		case sat.Meses:
			body = "c_Meses,descripcion\n01," + mes + "\n"
		case sat.RegimenFiscal:
			body = "c_RegimenFiscal,descripcion,aplica_fisica,aplica_moral\n601,General,,1\n"
		case sat.UsoCFDI:
			body = "c_UsoCFDI,descripcion,regimenes_fiscales_receptores\nG03,Gastos,601\n"
		case sat.Moneda:
			body = "c_Moneda,descripcion,decimales\nMXN,Peso,2\n"
		case sat.Impuesto:
			body = "c_Impuesto,descripcion\n002,IVA\n"
		case sat.TasaOCuota:
			body = "tipo,minimo,valor,impuesto,factor,traslado,retencion\nFijo,,0.160000,IVA,Tasa,1,\n"
		case sat.ClaveUnidad:
			body = "c_ClaveUnidad,nombre\nH87,Pieza\n"
		case sat.ClaveProdServ:
			body = "c_ClaveProdServ,descripcion,similares\n01010101,No existe,\n"
		case sat.CodigoPostal:
			body = "c_CodigoPostal,c_Estado\n42501,HID\n"
		case sat.Estado:
			body = "c_Estado,descripcion\nHID,Hidalgo\n"
		}
		fsys[name+".csv"] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func BenchmarkEnsureCatalogs(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, b.TempDir()+"/folio.db", Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

func BenchmarkSearchCatalog(b *testing.B) {
	ctx := context.Background()
	s, _ := loadCatalogs(b)
	for _, q := range []string{"agua mineral", "servicios facturacion", "refresco", "501"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				got, err := s.SearchCatalog(ctx, sat.ClaveProdServ, q, 50)
				if err != nil || len(got) == 0 {
					b.Fatalf("%v, %v", got, err)
				}
			}
		})
	}
}
