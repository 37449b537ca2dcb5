package sat

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// The catalogs Folio ships, by their SAT names. Each is read from the file
// "<name>.csv.gz" (or "<name>.csv") of the catalogs file system.
const (
	ClaveProdServ     = "c_ClaveProdServ"
	ClaveUnidad       = "c_ClaveUnidad"
	CodigoPostal      = "c_CodigoPostal"
	RegimenFiscal     = "c_RegimenFiscal"
	UsoCFDI           = "c_UsoCFDI"
	FormaPago         = "c_FormaPago"
	MetodoPago        = "c_MetodoPago"
	Moneda            = "c_Moneda"
	Impuesto          = "c_Impuesto"
	TasaOCuota        = "c_TasaOCuota"
	ObjetoImp         = "c_ObjetoImp"
	Exportacion       = "c_Exportacion"
	TipoRelacion      = "c_TipoRelacion"
	Periodicidad      = "c_Periodicidad"
	Meses             = "c_Meses"
	Pais              = "c_Pais"
	Estado            = "c_Estado"
	TipoDeComprobante = "c_TipoDeComprobante"
	TipoFactor        = "c_TipoFactor"
)

// catalogNames lists every catalog, c_Estado before c_CodigoPostal (postal
// code descriptions are state names).
var catalogNames = []string{
	RegimenFiscal, UsoCFDI, FormaPago, MetodoPago, Moneda, Impuesto, TasaOCuota,
	TipoFactor, ObjetoImp, Exportacion, TipoRelacion, TipoDeComprobante,
	Periodicidad, Meses, Pais, Estado, ClaveUnidad, ClaveProdServ, CodigoPostal,
}

// Names returns the names of every catalog Folio ships, in loading order.
func Names() []string { return append([]string(nil), catalogNames...) }

// KnownCatalog reports whether name is one of Names.
func KnownCatalog(name string) bool {
	for _, n := range catalogNames {
		if n == name {
			return true
		}
	}
	return false
}

// Entry is one catalog row as shown to users: its key and its description.
type Entry struct {
	Catalog, Key, Description string
}

// Table is one catalog as read from its CSV: the header and the data rows,
// every cell as text (keys keep their leading zeros).
type Table struct {
	Name    string
	Columns []string
	Rows    [][]string

	col     map[string]int
	estados map[string]string // c_Estado key → name, for c_CodigoPostal descriptions
}

// ReadTable reads catalog name from fsys ("<name>.csv.gz", else
// "<name>.csv"). Every row must have as many cells as the header.
func ReadTable(fsys fs.FS, name string) (*Table, error) {
	data, err := fs.ReadFile(fsys, name+".csv.gz")
	gz := err == nil
	if errors.Is(err, fs.ErrNotExist) {
		data, err = fs.ReadFile(fsys, name+".csv")
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog %s: %w", name, err)
	}
	var r io.Reader = bytes.NewReader(data)
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", name, err)
		}
		defer zr.Close()
		r = zr
	}
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read catalog %s header: %w", name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	t := &Table{Name: name, Columns: header, col: make(map[string]int, len(header))}
	for i, h := range header {
		t.col[h] = i
	}
	for _, need := range required[name] {
		if _, ok := t.col[need]; !ok {
			return nil, fmt.Errorf("read catalog %s: missing column %q", name, need)
		}
	}
	cr.ReuseRecord = false
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", name, err)
		}
		t.Rows = append(t.Rows, rec)
	}
	return t, nil
}

// required lists the columns the rules of this package read.
var required = map[string][]string{
	RegimenFiscal: {"c_RegimenFiscal", "descripcion", "aplica_fisica", "aplica_moral"},
	UsoCFDI:       {"c_UsoCFDI", "descripcion", "regimenes_fiscales_receptores"},
	Moneda:        {"c_Moneda", "decimales"},
	Impuesto:      {"c_Impuesto", "descripcion"},
	TasaOCuota:    {"tipo", "minimo", "valor", "impuesto", "factor", "traslado", "retencion"},
	ClaveUnidad:   {"c_ClaveUnidad", "nombre"},
	ClaveProdServ: {"c_ClaveProdServ", "descripcion", "similares"},
	CodigoPostal:  {"c_CodigoPostal", "c_Estado"},
	Estado:        {"c_Estado", "descripcion"},
}

// Col returns the index of column name, or -1.
func (t *Table) Col(name string) int {
	if i, ok := t.col[name]; ok {
		return i
	}
	return -1
}

// Cell returns row i's value of column name ("" when the column is absent).
func (t *Table) Cell(i int, name string) string {
	if c := t.Col(name); c >= 0 {
		return t.Rows[i][c]
	}
	return ""
}

// Key returns row i's key: the first column, except in c_TasaOCuota (which
// has no key column) where it is the valor.
func (t *Table) Key(i int) string {
	if t.Name == TasaOCuota {
		return t.Cell(i, "valor")
	}
	return t.Rows[i][0]
}

// Entry returns row i as shown to users. The description is the
// "descripcion" column, or: "nombre" in c_ClaveUnidad, the state's name in
// c_CodigoPostal (when the table was read by LoadTables or NewCatalogs), the
// rule in words in c_TasaOCuota, the key itself when the catalog has none.
func (t *Table) Entry(i int) Entry {
	e := Entry{Catalog: t.Name, Key: t.Key(i)}
	switch t.Name {
	case ClaveUnidad:
		e.Description = t.Cell(i, "nombre")
	case CodigoPostal:
		e.Description = t.estados[EstadoOfCodigoPostal(t.Cell(i, "c_Estado"))]
	case TasaOCuota:
		e.Description = tasaDescription(t, i)
	default:
		e.Description = t.Cell(i, "descripcion")
	}
	if e.Description == "" {
		e.Description = e.Key
	}
	return e
}

// SearchText returns the words row i can be found by besides its key: the
// description, plus "similares" in c_ClaveProdServ and the symbol in
// c_ClaveUnidad.
func (t *Table) SearchText(i int) string {
	e := t.Entry(i)
	switch t.Name {
	case ClaveProdServ:
		return e.Description + " " + t.Cell(i, "similares")
	case ClaveUnidad:
		return e.Description + " " + t.Cell(i, "simbolo")
	}
	return e.Description
}

// Expired reports whether row i's vigencia ended before today
// (ISO date "2006-01-02").
func (t *Table) Expired(i int, today string) bool {
	end := t.Cell(i, "vigencia_hasta")
	if end == "" {
		end = t.Cell(i, "fecha_fin_vigencia")
	}
	return end != "" && end < today
}

func tasaDescription(t *Table, i int) string {
	var b strings.Builder
	b.WriteString(t.Cell(i, "impuesto"))
	b.WriteString(" ")
	b.WriteString(t.Cell(i, "factor"))
	if t.Cell(i, "tipo") == "Rango" {
		b.WriteString(" de " + t.Cell(i, "minimo") + " a " + t.Cell(i, "valor"))
	}
	tr, ret := t.Cell(i, "traslado") == "1", t.Cell(i, "retencion") == "1"
	switch {
	case tr && ret:
		b.WriteString(" (traslado y retención)")
	case tr:
		b.WriteString(" (traslado)")
	case ret:
		b.WriteString(" (retención)")
	}
	return b.String()
}

// EstadoOfCodigoPostal maps the state code of c_CodigoPostal to c_Estado:
// the postal code data predates the rename of Ciudad de México from DIF to
// CMX (catalogs README).
func EstadoOfCodigoPostal(code string) string {
	if code == "DIF" {
		return "CMX"
	}
	return code
}

// LoadTables reads every catalog of Names from fsys, in that order.
func LoadTables(fsys fs.FS) ([]*Table, error) {
	tables := make([]*Table, 0, len(catalogNames))
	var estados map[string]string
	for _, name := range catalogNames {
		t, err := ReadTable(fsys, name)
		if err != nil {
			return nil, err
		}
		switch name {
		case Estado:
			estados = estadoNames(t)
		case CodigoPostal:
			t.estados = estados
		}
		tables = append(tables, t)
	}
	return tables, nil
}

func estadoNames(t *Table) map[string]string {
	m := make(map[string]string, len(t.Rows))
	for i := range t.Rows {
		m[t.Key(i)] = t.Cell(i, "descripcion")
	}
	return m
}
