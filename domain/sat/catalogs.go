package sat

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// Catalogs answers catalog questions in memory with map lookups. Small
// catalogs are read by NewCatalogs; c_ClaveProdServ and c_CodigoPostal are
// read on first use (or by Preload). It is safe for concurrent use.
//
// A key "exists" only while in force: rows whose vigencia_hasta is before the
// day the catalog was read are kept for Lookup but rejected by the checks.
type Catalogs struct {
	fsys  fs.FS
	today string
	tabs  map[string]*indexed

	usos      map[string]map[string]bool // c_UsoCFDI in force → allowed RegimenFiscalReceptor
	impuestos map[string]string          // c_Impuesto code → name ("002" → "IVA")
	tasas     []tasaRule                 // c_TasaOCuota rows in force
}

type indexed struct {
	once    sync.Once
	load    func() (*Table, error)
	today   string
	t       *Table
	keys    map[string]int // key → row; c_TasaOCuota: first row of that valor
	expired []bool         // per row: vigencia_hasta before today
	err     error

	wordsOnce sync.Once
	words     [][]string // per row: its search words (Search), on first use
}

// tasaRule is one row of c_TasaOCuota, parsed.
type tasaRule struct {
	impuesto, factor    string
	fijo                string // the exact valor of a "Fijo" row; "" for "Rango"
	min, max            decimal.Decimal
	traslado, retencion bool
}

// lazyCatalogs are read on first use: they are the big ones.
var lazyCatalogs = map[string]bool{ClaveProdServ: true, CodigoPostal: true}

// NewCatalogs reads the catalogs from fsys (normally assets.Catalogs). It
// returns an error if a catalog is missing or malformed; the lazily read big
// catalogs are only checked for presence here.
func NewCatalogs(fsys fs.FS) (*Catalogs, error) {
	c := &Catalogs{
		fsys:  fsys,
		today: time.Now().In(domain.MexicoCity).Format(time.DateOnly),
		tabs:  make(map[string]*indexed, len(catalogNames)),
	}
	for _, name := range catalogNames {
		ix := &indexed{today: c.today}
		name := name
		ix.load = func() (*Table, error) { return c.read(name) }
		c.tabs[name] = ix
		if lazyCatalogs[name] {
			if !exists(fsys, name) {
				return nil, fmt.Errorf("new catalogs: %s not found", name)
			}
			continue
		}
		if err := ix.get(); err != nil {
			return nil, err
		}
	}
	c.index()
	return c, nil
}

// index precomputes the rule tables of the small catalogs.
func (c *Catalogs) index() {
	uso := c.tabs[UsoCFDI]
	c.usos = make(map[string]map[string]bool, len(uso.t.Rows))
	for i := range uso.t.Rows {
		if uso.expired[i] {
			continue
		}
		set := map[string]bool{}
		for _, r := range strings.Split(uso.t.Cell(i, "regimenes_fiscales_receptores"), ",") {
			if r = strings.TrimSpace(r); r != "" {
				set[r] = true
			}
		}
		c.usos[uso.t.Key(i)] = set
	}
	imp := c.tabs[Impuesto]
	c.impuestos = make(map[string]string, len(imp.t.Rows))
	for i := range imp.t.Rows {
		c.impuestos[imp.t.Key(i)] = imp.t.Cell(i, "descripcion")
	}
	tasa := c.tabs[TasaOCuota]
	for i := range tasa.t.Rows {
		if tasa.expired[i] {
			continue
		}
		t := tasa.t
		r := tasaRule{
			impuesto:  t.Cell(i, "impuesto"),
			factor:    t.Cell(i, "factor"),
			traslado:  t.Cell(i, "traslado") == "1",
			retencion: t.Cell(i, "retencion") == "1",
		}
		// "IVA Crédito aplicado del 50%" is the border-region IVA rate.
		if strings.HasPrefix(r.impuesto, "IVA ") {
			r.impuesto = "IVA"
		}
		switch t.Cell(i, "tipo") {
		case "Fijo":
			r.fijo = t.Cell(i, "valor")
		case "Rango":
			lo, err1 := decimal.NewFromString(t.Cell(i, "minimo"))
			hi, err2 := decimal.NewFromString(t.Cell(i, "valor"))
			if err1 != nil || err2 != nil {
				continue
			}
			r.min, r.max = lo, hi
		default:
			continue
		}
		c.tasas = append(c.tasas, r)
	}
}

func exists(fsys fs.FS, name string) bool {
	for _, f := range []string{name + ".csv.gz", name + ".csv"} {
		if _, err := fs.Stat(fsys, f); err == nil {
			return true
		}
	}
	return false
}

func (c *Catalogs) read(name string) (*Table, error) {
	t, err := ReadTable(c.fsys, name)
	if err != nil {
		return nil, err
	}
	if name == CodigoPostal {
		if est, ok := c.table(Estado); ok {
			t.estados = estadoNames(est)
		}
	}
	return t, nil
}

func (ix *indexed) get() error {
	ix.once.Do(func() {
		t, err := ix.load()
		if err != nil {
			ix.err = err
			return
		}
		ix.keys = make(map[string]int, len(t.Rows))
		ix.expired = make([]bool, len(t.Rows))
		for i := range t.Rows {
			ix.expired[i] = t.Expired(i, ix.today)
			k := t.Key(i)
			if _, dup := ix.keys[k]; !dup {
				ix.keys[k] = i
			}
		}
		ix.t = t
	})
	return ix.err
}

// Preload reads every catalog now, so that later lookups never pause.
func (c *Catalogs) Preload() error {
	for _, name := range catalogNames {
		if err := c.tabs[name].get(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Catalogs) table(name string) (*Table, bool) {
	ix, ok := c.tabs[name]
	if !ok || ix.get() != nil {
		return nil, false
	}
	return ix.t, true
}

// row returns the row of key in catalog, if present.
func (c *Catalogs) row(catalog, key string) (*Table, int, bool) {
	ix, ok := c.tabs[catalog]
	if !ok || ix.get() != nil {
		return nil, 0, false
	}
	i, ok := ix.keys[key]
	return ix.t, i, ok
}

// inForce returns the row of key in catalog if it is present and in force.
func (c *Catalogs) inForce(catalog, key string) (*Table, int, bool) {
	ix, ok := c.tabs[catalog]
	if !ok || ix.get() != nil {
		return nil, 0, false
	}
	i, ok := ix.keys[key]
	if !ok || ix.expired[i] {
		return nil, 0, false
	}
	return ix.t, i, true
}

// Lookup returns the entry of key in catalog, in force or not.
func (c *Catalogs) Lookup(catalog, key string) (Entry, bool) {
	t, i, ok := c.row(catalog, key)
	if !ok {
		return Entry{}, false
	}
	return t.Entry(i), true
}

// Field returns column of the row of key in catalog (for example
// "patron_cuenta_ordenante" of a c_FormaPago or "c_Estado" of a
// c_CodigoPostal), and whether that row and column exist.
func (c *Catalogs) Field(catalog, key, column string) (string, bool) {
	t, i, ok := c.row(catalog, key)
	if !ok || t.Col(column) < 0 {
		return "", false
	}
	return t.Cell(i, column), true
}

// Has reports whether key is in catalog and in force.
func (c *Catalogs) Has(catalog, key string) bool {
	_, _, ok := c.inForce(catalog, key)
	return ok
}

// List returns every entry in force of catalog, in file order (nil for an
// unknown catalog). Meant for the small catalogs shown in pickers.
func (c *Catalogs) List(catalog string) []Entry {
	ix, ok := c.tabs[catalog]
	if !ok || ix.get() != nil {
		return nil
	}
	out := make([]Entry, 0, len(ix.t.Rows))
	for i := range ix.t.Rows {
		if !ix.expired[i] {
			out = append(out, ix.t.Entry(i))
		}
	}
	return out
}

// CodigoPostalExists reports whether cp is in c_CodigoPostal.
func (c *Catalogs) CodigoPostalExists(cp string) bool { return c.Has(CodigoPostal, cp) }

// RegimenExists reports whether regimen is in c_RegimenFiscal.
func (c *Catalogs) RegimenExists(regimen string) bool { return c.Has(RegimenFiscal, regimen) }

// RegimenAllowed reports whether regimen applies to a persona moral
// (personaMoral) or física, per c_RegimenFiscal aplica_moral/aplica_fisica.
func (c *Catalogs) RegimenAllowed(regimen string, personaMoral bool) bool {
	t, i, ok := c.inForce(RegimenFiscal, regimen)
	if !ok {
		return false
	}
	if personaMoral {
		return t.Cell(i, "aplica_moral") == "1"
	}
	return t.Cell(i, "aplica_fisica") == "1"
}

// UsoCFDIAllowed reports whether uso is in c_UsoCFDI and regimenReceptor is
// one of its regimenes_fiscales_receptores (Anexo 20 v4.0, c_UsoCFDI).
func (c *Catalogs) UsoCFDIAllowed(uso, regimenReceptor string) bool {
	return c.usos[uso][regimenReceptor]
}

// FormaPagoExists reports whether code is in c_FormaPago.
func (c *Catalogs) FormaPagoExists(code string) bool { return c.Has(FormaPago, code) }

// MonedaDecimals returns the decimal places of currency code (c_Moneda
// decimales: 2 for MXN and USD, 0 for JPY and XXX).
func (c *Catalogs) MonedaDecimals(code string) (decimals int32, ok bool) {
	t, i, found := c.inForce(Moneda, code)
	if !found {
		return 0, false
	}
	d, err := strconv.ParseInt(t.Cell(i, "decimales"), 10, 32)
	if err != nil || d < 0 {
		return 0, false
	}
	return int32(d), true
}

// TasaOCuotaAllowed reports whether valor is allowed for impuesto (the
// c_Impuesto code "001"/"002"/"003" or its name "ISR"/"IVA"/"IEPS"),
// tipoFactor ("Tasa" or "Cuota") and direction (retencion, else traslado),
// per the rules of c_TasaOCuota: a "Fijo" row needs valor written exactly as
// in the catalog ("0.160000"); a "Rango" row needs minimo ≤ valor ≤ valor
// máximo, written with at most six decimals (cfdv40.xsd fractionDigits 6).
// The 0.080000 row of "IVA Crédito aplicado del 50%" counts as IVA: it is
// the border-region rate, written with Impuesto 002.
func (c *Catalogs) TasaOCuotaAllowed(impuesto, tipoFactor, valor string, retencion bool) bool {
	name := impuesto
	if n, ok := c.impuestos[impuesto]; ok {
		name = n
	}
	if valor == "" || strings.ContainsAny(valor, "eE+") {
		return false
	}
	var v decimal.Decimal
	parsed := false
	for _, r := range c.tasas {
		if r.impuesto != name || r.factor != tipoFactor || (retencion && !r.retencion) || (!retencion && !r.traslado) {
			continue
		}
		if r.fijo != "" {
			if valor == r.fijo {
				return true
			}
			continue
		}
		if !parsed {
			var err error
			if v, err = decimal.NewFromString(valor); err != nil || v.IsNegative() || -v.Exponent() > 6 {
				return false
			}
			parsed = true
		}
		if v.Cmp(r.min) >= 0 && v.Cmp(r.max) <= 0 {
			return true
		}
	}
	return false
}

// ClaveProdServExists reports whether key is in c_ClaveProdServ.
func (c *Catalogs) ClaveProdServExists(key string) bool { return c.Has(ClaveProdServ, key) }

// ClaveUnidadExists reports whether key is in c_ClaveUnidad.
func (c *Catalogs) ClaveUnidadExists(key string) bool { return c.Has(ClaveUnidad, key) }

// ObjetoImpExists reports whether code is in c_ObjetoImp.
func (c *Catalogs) ObjetoImpExists(code string) bool { return c.Has(ObjetoImp, code) }

// ExportacionExists reports whether code is in c_Exportacion.
func (c *Catalogs) ExportacionExists(code string) bool { return c.Has(Exportacion, code) }

// TipoRelacionExists reports whether code is in c_TipoRelacion.
func (c *Catalogs) TipoRelacionExists(code string) bool { return c.Has(TipoRelacion, code) }

// PaisExists reports whether code is in c_Pais.
func (c *Catalogs) PaisExists(code string) bool { return c.Has(Pais, code) }
