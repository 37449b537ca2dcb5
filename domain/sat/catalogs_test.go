package sat_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// The ports that domain/cfdi and domain/sales validate with.
var (
	_ cfdi.Catalogs         = (*sat.Catalogs)(nil)
	_ sales.Catalogs        = (*sat.Catalogs)(nil)
	_ sales.CompanyCatalogs = (*sat.Catalogs)(nil)
)

func mustCatalogs(tb testing.TB) *sat.Catalogs {
	tb.Helper()
	c, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// csvRows counts the data rows of an embedded catalog independently of
// package sat.
func csvRows(tb testing.TB, name string) int {
	tb.Helper()
	data, err := fs.ReadFile(assets.Catalogs, name+".csv.gz")
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return len(recs) - 1
}

func TestLoadTablesMatchesCSV(t *testing.T) {
	tables, err := sat.LoadTables(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != len(sat.Names()) {
		t.Fatalf("LoadTables read %d catalogs, want %d", len(tables), len(sat.Names()))
	}
	for _, tb := range tables {
		if got, want := len(tb.Rows), csvRows(t, tb.Name); got != want {
			t.Errorf("%s rows = %d, want %d", tb.Name, got, want)
		}
		if tb.Name == sat.ClaveProdServ && len(tb.Rows) != 52514 {
			t.Errorf("c_ClaveProdServ rows = %d, want 52514", len(tb.Rows))
		}
	}
}

func TestCatalogRules(t *testing.T) {
	t.Parallel()
	c := mustCatalogs(t)
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		// c_CodigoPostal (lazy).
		{"CP 42501 exists", c.CodigoPostalExists("42501"), true},
		{"CP 06300 keeps leading zero", c.CodigoPostalExists("06300"), true},
		{"CP 6300 without zero", c.CodigoPostalExists("6300"), false},
		{"CP 00000", c.CodigoPostalExists("00000"), false},
		// c_RegimenFiscal.
		{"601 exists", c.RegimenExists("601"), true},
		{"600 does not", c.RegimenExists("600"), false},
		{"601 moral", c.RegimenAllowed("601", true), true},
		{"601 not física", c.RegimenAllowed("601", false), false},
		{"612 física", c.RegimenAllowed("612", false), true},
		{"612 not moral", c.RegimenAllowed("612", true), false},
		{"626 both (moral)", c.RegimenAllowed("626", true), true},
		{"626 both (física)", c.RegimenAllowed("626", false), true},
		// c_UsoCFDI regimenes_fiscales_receptores.
		{"G03 for 601", c.UsoCFDIAllowed("G03", "601"), true},
		{"G03 not for 616", c.UsoCFDIAllowed("G03", "616"), false},
		{"S01 for 616", c.UsoCFDIAllowed("S01", "616"), true},
		{"CN01 for 605", c.UsoCFDIAllowed("CN01", "605"), true},
		{"CN01 not for 601", c.UsoCFDIAllowed("CN01", "601"), false},
		{"G01 for 626 (list without space)", c.UsoCFDIAllowed("G01", "626"), true},
		{"D01 for 605", c.UsoCFDIAllowed("D01", "605"), true},
		{"D01 not for 601", c.UsoCFDIAllowed("D01", "601"), false},
		{"unknown uso", c.UsoCFDIAllowed("P01", "601"), false},
		{"empty regimen", c.UsoCFDIAllowed("G03", ""), false},
		// Simple existence.
		{"forma 01", c.FormaPagoExists("01"), true},
		{"forma 99", c.FormaPagoExists("99"), true},
		{"forma 1", c.FormaPagoExists("1"), false},
		{"clave 01010101", c.ClaveProdServExists("01010101"), true},
		{"clave 50202306 refrescos", c.ClaveProdServExists("50202306"), true},
		{"clave 15101506 expired 2020", c.ClaveProdServExists("15101506"), false},
		{"clave 99999999", c.ClaveProdServExists("99999999"), false},
		{"unidad H87", c.ClaveUnidadExists("H87"), true},
		{"unidad E48", c.ClaveUnidadExists("E48"), true},
		{"unidad h87", c.ClaveUnidadExists("h87"), false},
		{"objeto 02", c.ObjetoImpExists("02"), true},
		{"objeto 09", c.ObjetoImpExists("09"), false},
		{"exportacion 01", c.ExportacionExists("01"), true},
		{"exportacion 05", c.ExportacionExists("05"), false},
		{"relacion 07", c.TipoRelacionExists("07"), true},
		{"relacion 08", c.TipoRelacionExists("08"), false},
		{"pais MEX", c.PaisExists("MEX"), true},
		{"pais USA", c.PaisExists("USA"), true},
		{"pais QQQ", c.PaisExists("QQQ"), false},
		// c_TasaOCuota.
		{"IVA 16% traslado", c.TasaOCuotaAllowed("002", "Tasa", "0.160000", false), true},
		{"IVA 16% by name", c.TasaOCuotaAllowed("IVA", "Tasa", "0.160000", false), true},
		{"IVA 0.16 short form", c.TasaOCuotaAllowed("002", "Tasa", "0.16", false), false},
		{"IVA 0% traslado", c.TasaOCuotaAllowed("002", "Tasa", "0.000000", false), true},
		{"IVA 8% frontera", c.TasaOCuotaAllowed("002", "Tasa", "0.080000", false), true},
		{"IVA 15% traslado", c.TasaOCuotaAllowed("002", "Tasa", "0.150000", false), false},
		{"IVA retención 10.6667%", c.TasaOCuotaAllowed("002", "Tasa", "0.106667", true), true},
		{"IVA retención above 16%", c.TasaOCuotaAllowed("002", "Tasa", "0.160001", true), false},
		{"IVA retención 7 decimals", c.TasaOCuotaAllowed("002", "Tasa", "0.1066667", true), false},
		{"IVA cuota", c.TasaOCuotaAllowed("002", "Cuota", "0.160000", false), false},
		{"ISR retención 10%", c.TasaOCuotaAllowed("001", "Tasa", "0.100000", true), true},
		{"ISR retención 1.25%", c.TasaOCuotaAllowed("001", "Tasa", "0.012500", true), true},
		{"ISR traslado", c.TasaOCuotaAllowed("001", "Tasa", "0.100000", false), false},
		{"IEPS 26.5% traslado", c.TasaOCuotaAllowed("003", "Tasa", "0.265000", false), true},
		{"IEPS 3% retención not allowed", c.TasaOCuotaAllowed("003", "Tasa", "0.030000", true), false},
		{"IEPS cuota 1.5", c.TasaOCuotaAllowed("003", "Cuota", "1.500000", false), true},
		{"IEPS cuota above range", c.TasaOCuotaAllowed("003", "Cuota", "72.160501", false), false},
		{"negative", c.TasaOCuotaAllowed("001", "Tasa", "-0.100000", true), false},
		{"garbage", c.TasaOCuotaAllowed("001", "Tasa", "1e-1", true), false},
		{"exento has no valor", c.TasaOCuotaAllowed("002", "Exento", "", false), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestMonedaDecimals(t *testing.T) {
	t.Parallel()
	c := mustCatalogs(t)
	tests := []struct {
		code string
		want int32
		ok   bool
	}{
		{"MXN", 2, true}, {"USD", 2, true}, {"JPY", 0, true}, {"CLF", 4, true}, {"XXX", 0, true}, {"MXP", 0, false},
	}
	for _, tt := range tests {
		got, ok := c.MonedaDecimals(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MonedaDecimals(%q) = %d, %v; want %d, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLookupAndList(t *testing.T) {
	t.Parallel()
	c := mustCatalogs(t)
	tests := []struct {
		catalog, key, want string
	}{
		{sat.RegimenFiscal, "601", "General de Ley Personas Morales"},
		{sat.ClaveUnidad, "H87", "Pieza"},
		{sat.CodigoPostal, "42501", "Hidalgo"},
		{sat.CodigoPostal, "06300", "Ciudad de México"}, // DIF → CMX
		{sat.TipoFactor, "Exento", "Exento"},
		{sat.TasaOCuota, "0.160000", "IVA Tasa (traslado)"},
		{sat.ClaveProdServ, "50202306", "Refrescos"},
	}
	for _, tt := range tests {
		e, ok := c.Lookup(tt.catalog, tt.key)
		if !ok || e.Description != tt.want || e.Key != tt.key || e.Catalog != tt.catalog {
			t.Errorf("Lookup(%s, %s) = %+v, %v; want description %q", tt.catalog, tt.key, e, ok, tt.want)
		}
	}
	if v, ok := c.Field(sat.CodigoPostal, "42501", "c_Estado"); !ok || v != "HID" {
		t.Errorf("Field(c_CodigoPostal, 42501, c_Estado) = %q, %v", v, ok)
	}
	if got := len(c.List(sat.UsoCFDI)); got != csvRows(t, sat.UsoCFDI) {
		t.Errorf("len(List(c_UsoCFDI)) = %d, want %d", got, csvRows(t, sat.UsoCFDI))
	}
	if c.List("c_Nada") != nil {
		t.Error("List of an unknown catalog is not nil")
	}
}

func TestNewCatalogsErrors(t *testing.T) {
	t.Parallel()
	// Given a file system missing most catalogs, NewCatalogs fails.
	if _, err := sat.NewCatalogs(fstest.MapFS{}); err == nil {
		t.Fatal("NewCatalogs(empty) = nil error")
	}
	// Given a ragged CSV, ReadTable reports it.
	bad := fstest.MapFS{"c_Meses.csv": {Data: []byte("c_Meses,descripcion\n01,Enero,extra\n")}}
	if _, err := sat.ReadTable(bad, sat.Meses); err == nil {
		t.Fatal("ReadTable(ragged) = nil error")
	}
	// Plain CSV files are read as well as gzip ones.
	plain := fstest.MapFS{"c_Meses.csv": {Data: []byte("c_Meses,descripcion\n01,Enero\n")}}
	tb, err := sat.ReadTable(plain, sat.Meses)
	if err != nil || len(tb.Rows) != 1 || tb.Entry(0).Description != "Enero" {
		t.Fatalf("ReadTable(plain) = %+v, %v", tb, err)
	}
}

func TestConcurrentLazyLoad(t *testing.T) {
	t.Parallel()
	c := mustCatalogs(t)
	done := make(chan bool)
	for range 4 {
		go func() { done <- c.CodigoPostalExists("42501") && c.ClaveProdServExists("01010101") }()
	}
	for range 4 {
		if !<-done {
			t.Error("lazy lookup failed")
		}
	}
}

func BenchmarkNewCatalogs(b *testing.B) {
	for b.Loop() {
		c, err := sat.NewCatalogs(assets.Catalogs)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Preload(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookups(b *testing.B) {
	c := mustCatalogs(b)
	if err := c.Preload(); err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		f    func() bool
	}{
		{"CodigoPostalExists", func() bool { return c.CodigoPostalExists("42501") }},
		{"ClaveProdServExists", func() bool { return c.ClaveProdServExists("50202306") }},
		{"UsoCFDIAllowed", func() bool { return c.UsoCFDIAllowed("G03", "601") }},
		{"TasaOCuotaAllowed", func() bool { return c.TasaOCuotaAllowed("002", "Tasa", "0.160000", false) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if !bm.f() {
					b.Fatal("lookup failed")
				}
			}
		})
	}
}
