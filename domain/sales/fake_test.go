package sales

import (
	"sort"
	"strings"

	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// fakeCatalogs is a tiny in-memory catalog with the keys the tests use.
type fakeCatalogs struct{}

var (
	fakeCP       = set("06300", "64000", "44100", "20000", "42501")
	fakeRegimen  = map[string][2]bool{"601": {false, true}, "603": {false, true}, "605": {true, false}, "612": {true, false}, "616": {true, false}, "626": {true, true}}
	fakeUso      = map[string]string{"G01": "601 603 612 626", "G03": "601 603 612 626", "S01": "601 603 605 612 616 626", "CP01": "616", "D01": "605 612"}
	fakeForma    = set("01", "02", "03", "04", "28", "99")
	fakeMoneda   = map[string]int32{"MXN": 2, "USD": 2, "JPY": 0, "XXX": 0}
	fakeProdServ = set("01010101", "43232408", "81112100", "50202306", "84111506")
	fakeUnidad   = set("ACT", "H87", "E48", "KGM", "XBX")
	fakeObjeto   = set("01", "02", "03", "04")
	fakePais     = set("MEX", "USA", "CAN", "ESP")
)

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func (fakeCatalogs) CodigoPostalExists(cp string) bool { return fakeCP[cp] }
func (fakeCatalogs) RegimenExists(r string) bool       { _, ok := fakeRegimen[r]; return ok }
func (fakeCatalogs) RegimenAllowed(r string, moral bool) bool {
	a := fakeRegimen[r]
	if moral {
		return a[1]
	}
	return a[0]
}
func (fakeCatalogs) UsoCFDIAllowed(uso, reg string) bool {
	for _, r := range strings.Fields(fakeUso[uso]) {
		if r == reg {
			return true
		}
	}
	return false
}

// TasaOCuotaAllowed mimics c_TasaOCuota for the rates the tests use.
func (fakeCatalogs) TasaOCuotaAllowed(imp, factor, valor string, ret bool) bool {
	v := decimal.RequireFromString(valor)
	between := func(lo, hi string) bool {
		return v.Cmp(decimal.RequireFromString(lo)) >= 0 && v.Cmp(decimal.RequireFromString(hi)) <= 0
	}
	switch {
	case imp == "002" && factor == "Tasa" && !ret:
		return valor == "0.160000" || valor == "0.080000" || valor == "0.000000"
	case imp == "002" && factor == "Tasa" && ret:
		return between("0", "0.16")
	case imp == "001" && factor == "Tasa" && ret:
		return between("0", "0.35")
	case imp == "003" && factor == "Tasa":
		return valor == "0.265000" || valor == "0.080000" || valor == "1.600000"
	case imp == "003" && factor == "Cuota":
		return between("0", "72.1605")
	}
	return false
}

func (fakeCatalogs) FormaPagoExists(c string) bool         { return fakeForma[c] }
func (fakeCatalogs) MonedaDecimals(c string) (int32, bool) { d, ok := fakeMoneda[c]; return d, ok }
func (fakeCatalogs) ClaveProdServExists(k string) bool     { return fakeProdServ[k] }
func (fakeCatalogs) ClaveUnidadExists(k string) bool       { return fakeUnidad[k] }
func (fakeCatalogs) ObjetoImpExists(c string) bool         { return fakeObjeto[c] }
func (fakeCatalogs) PaisExists(c string) bool              { return fakePais[c] }
func (fakeCatalogs) ExportacionExists(c string) bool       { return c == "01" }
func (fakeCatalogs) TipoRelacionExists(c string) bool      { return len(c) == 2 && c >= "01" && c <= "07" }

// List returns the fake's UsoCFDI and FormaPago keys in key order, as
// entries described by their key.
func (fakeCatalogs) List(catalog string) []sat.Entry {
	var keys []string
	switch catalog {
	case sat.UsoCFDI:
		for k := range fakeUso {
			keys = append(keys, k)
		}
	case sat.FormaPago:
		for k := range fakeForma {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]sat.Entry, len(keys))
	for i, k := range keys {
		out[i] = sat.Entry{Catalog: catalog, Key: k, Description: "desc " + k}
	}
	return out
}
