package wire

import (
	"crypto/x509"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sat"
)

// NewImporter is the CFDI import over store (`folio import` and the
// window's "CFDI externos"): SAT's TFD certificates embedded in Folio and
// the currencies' decimals of the embedded catalogs (rules may be nil: it
// is loaded then).
func NewImporter(store received.Store, rules *sat.Catalogs) (*received.Service, error) {
	if rules == nil {
		var err error
		if rules, err = sat.NewCatalogs(assets.Catalogs); err != nil {
			return nil, err
		}
	}
	return &received.Service{Store: store, Checker: NewChecker(rules)}, nil
}

// NewChecker verifies with SAT's embedded TFD certificates and the
// decimals of rules' c_Moneda.
func NewChecker(rules *sat.Catalogs) *received.Checker {
	var certs []*x509.Certificate
	for _, der := range assets.SATTFDCertificates() {
		if c, err := x509.ParseCertificate(der); err == nil {
			certs = append(certs, c)
		}
	}
	ch := &received.Checker{SAT: certs}
	if rules != nil {
		ch.Decimals = rules.MonedaDecimals
	}
	return ch
}

// ImportItems turns paths — files, folders (searched recursively for .xml
// and .zip files) and ZIP archives — into the items to import, in a stable
// order. A path that cannot be read becomes an item whose Read reports why,
// so it is listed with the other problems. close releases the open ZIP
// archives once the import ends. Nothing is written to disk.
func ImportItems(paths []string) (items []received.Item, close func(), err error) {
	var zips []*os.File
	close = func() {
		for _, f := range zips {
			f.Close()
		}
	}
	fail := func(name, msg string, cause error) {
		e := domain.E(domain.Invalid, "wire.ImportItems", msg, cause)
		items = append(items, received.Item{Name: name, Read: func() ([]byte, error) { return nil, e }})
	}
	addZip := func(p string) {
		f, err := os.Open(p)
		if err != nil {
			fail(p, "No se pudo abrir el archivo; revise que exista y que tenga permiso de lectura.", err)
			return
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			fail(p, "No se pudo leer el archivo.", err)
			return
		}
		its, err := received.ZipItems(p, f, st.Size())
		if err != nil {
			f.Close()
			items = append(items, received.Item{Name: p, Read: func() ([]byte, error) { return nil, err }})
			return
		}
		zips = append(zips, f)
		items = append(items, its...)
	}
	addFile := func(p string) {
		if strings.EqualFold(filepath.Ext(p), ".zip") {
			addZip(p)
			return
		}
		items = append(items, received.Item{Name: p, Read: func() ([]byte, error) { return readFile(p) }})
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			fail(p, "No se encontró el archivo o la carpeta; revise la ruta.", err)
			continue
		}
		if !st.IsDir() {
			addFile(p)
			continue
		}
		var found []string
		werr := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(q, "No se pudo leer la carpeta; revise sus permisos.", err)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && (received.IsXMLName(q) || strings.EqualFold(filepath.Ext(q), ".zip")) {
				found = append(found, q)
			}
			return nil
		})
		if werr != nil {
			fail(p, "No se pudo leer la carpeta; revise sus permisos.", werr)
		}
		sort.Strings(found)
		for _, q := range found {
			addFile(q)
		}
	}
	return items, close, nil
}

// readFile reads one file, refusing one larger than received.MaxFileSize
// without reading it.
func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, domain.E(domain.Invalid, "wire.readFile", "No se pudo abrir el archivo; revise que exista y que tenga permiso de lectura.", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > received.MaxFileSize {
		return nil, domain.Errorf(domain.Invalid, "wire.readFile", "El archivo mide más de %d MB; un CFDI mide unos pocos kilobytes. No se importó.", received.MaxFileSize>>20)
	}
	b, err := received.ReadCapped(f)
	if err != nil {
		return nil, domain.E(domain.Invalid, "wire.readFile", "No se pudo leer el archivo.", err)
	}
	return b, nil
}
