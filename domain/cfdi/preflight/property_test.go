package preflight_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/testpack"
)

// issuer is a test CSD and the Emisor it seals for.
type issuer struct {
	signer *csd.CSD
	emisor cfdi.Emisor
	moral  bool
}

// loadIssuers loads SAT's two test CSDs from the reference pack, once.
func loadIssuers(tb testing.TB) []issuer {
	tb.Helper()
	load := func(stem string) *csd.CSD {
		s, err := csd.LoadAt(testpack.Read(tb, "csd", stem+".cer"), testpack.Read(tb, "csd", stem+".key"), "12345678a", testNow)
		if err != nil {
			tb.Fatalf("load CSD %s: %v", stem, err)
		}
		return s
	}
	return []issuer{
		{signer: load("EKU9003173C9"), emisor: cfdi.Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"}, moral: true},
		{signer: load("CACX7605101P8"), emisor: cfdi.Emisor{Rfc: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612"}},
	}
}

// receptor is a customer with the usos its régimen allows.
type receptor struct {
	cfdi.Receptor
	usos  []string
	moral bool
}

var receptores = []receptor{
	{cfdi.Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601"}, []string{"G01", "G03", "I04"}, true},
	{cfdi.Receptor{Rfc: "XIA190128J61", Nombre: "XENON INDUSTRIAL ARTICLES", DomicilioFiscalReceptor: "76343", RegimenFiscalReceptor: "601"}, []string{"G01", "G03"}, true},
	{cfdi.Receptor{Rfc: "MCI7306249Y1", Nombre: "MUNICIPIO DE CUAUTITLAN IZCALLI", DomicilioFiscalReceptor: "54700", RegimenFiscalReceptor: "603"}, []string{"G03"}, true},
	{cfdi.Receptor{Rfc: "MASO451221PM4", Nombre: "MARIA OLIVIA MARTINEZ SAGAZ", DomicilioFiscalReceptor: "80290", RegimenFiscalReceptor: "612"}, []string{"G03", "D01", "I04"}, false},
	{cfdi.Receptor{Rfc: "MASO451221PM4", Nombre: "MARIA OLIVIA MARTINEZ SAGAZ", DomicilioFiscalReceptor: "80290", RegimenFiscalReceptor: "626"}, []string{"G01", "G03"}, false},
}

var (
	lugares   = []string{"42501", "06300", "26015", "01000", "36257", "64000", "44100", "97000"}
	productos = []struct{ clave, unidad, desc string }{
		{"43211507", "H87", "Computadora de escritorio Core i7"},
		{"81112101", "E48", "Servicio de internet dedicado, 100 Mbps"},
		{"50202306", "H87", "Refresco de cola 600 ml"},
		{"50211503", "KGM", "Tabaco para pipa «Añejo»"},
		{"50192100", "XBX", "Botanas surtidas (caja con 24)"},
		{"50202201", "H87", "Cerveza clara 355 ml"},
		{"15101514", "LTR", "Gasolina regular"},
		{"84111506", "E48", "Servicios de facturación & timbrado"},
		{"80141600", "E48", "Promoción en punto de venta — campaña \"Otoño\""},
		{"78101800", "E48", "Flete México–Querétaro <urgente>"},
		{"01010101", "ACT", "Mercancía general, niño y cigüeña"},
	}
	iepsTasas    = []string{"0.265", "0.30", "0.53", "0.50", "1.60", "0.304", "0.25", "0.09", "0.08", "0.07", "0.06", "0.03", "0"}
	formasPago   = []string{"01", "02", "03", "04", "28"}
	relacionesI  = []string{"04", "07"}
	relacionesE  = []string{"01", "03"}
	tiposCambio  = map[string][]string{"USD": {"17.2345", "18.9008", "19.5"}, "JPY": {"0.1153", "0.12"}, "CLF": {"38123.45", "39001.1"}}
	currencyDecs = map[string]int32{"MXN": 2, "USD": 2, "JPY": 0, "CLF": 4}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func rate(imp, factor, v string) tax.Rate {
	return tax.Rate{Impuesto: imp, TipoFactor: factor, TasaOCuota: dec(v)}
}

// randomAmount returns a decimal in [lo, hi) with the given decimals.
func randomAmount(r *rand.Rand, lo, hi int64, places int32) decimal.Decimal {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return decimal.New(lo*scale+r.Int64N((hi-lo)*scale), -places)
}

func randomUUID(r *rand.Rand) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i, n := range []int{8, 4, 4, 4, 12} {
		if i > 0 {
			b.WriteByte('-')
		}
		for range n {
			b.WriteByte(hex[r.IntN(16)])
		}
	}
	return b.String()
}

// randomLine draws one concept: a tax scenario, quantities, price and
// discount, and sometimes a third party.
func randomLine(r *rand.Rand, decimals int32, retenciones bool) lineSpec {
	p := pick(r, productos)
	l := lineSpec{ClaveProdServ: p.clave, ClaveUnidad: p.unidad, Descripcion: p.desc}
	l.ObjetoImp = "02"
	cuota := false
	scenarios := 10
	if retenciones {
		scenarios = 13
	}
	switch r.IntN(scenarios) {
	case 0:
		l.ObjetoImp = "01"
	case 1:
		l.Traslados = []tax.Rate{iva16()}
	case 2:
		l.Traslados = []tax.Rate{rate(tax.IVA, tax.Tasa, "0.08")}
	case 3:
		l.Traslados = []tax.Rate{rate(tax.IVA, tax.Tasa, "0")}
	case 4:
		l.Traslados = []tax.Rate{{Impuesto: tax.IVA, TipoFactor: tax.Exento}}
	case 5:
		l.Traslados = []tax.Rate{rate(tax.IEPS, tax.Tasa, pick(r, iepsTasas)), iva16()}
	case 6:
		cuota = true
		l.Traslados = []tax.Rate{{Impuesto: tax.IEPS, TipoFactor: tax.Cuota, TasaOCuota: randomAmount(r, 0, 12, 4).Add(dec("0.0001"))}, iva16()}
	case 7:
		l.Traslados = []tax.Rate{{Impuesto: tax.IEPS, TipoFactor: tax.Exento}, iva16()}
	case 8:
		l.Traslados = []tax.Rate{rate(tax.IEPS, tax.Tasa, pick(r, iepsTasas)), rate(tax.IVA, tax.Tasa, "0")}
	case 9:
		l.ObjetoImp = pick(r, []string{"03", "04"})
	case 10: // honorarios
		l.Traslados = []tax.Rate{iva16()}
		l.Retenciones = []tax.Rate{rate(tax.ISR, tax.Tasa, "0.10"), rate(tax.IVA, tax.Tasa, "0.106667")}
	case 11: // RESICO
		l.Traslados = []tax.Rate{iva16()}
		l.Retenciones = []tax.Rate{rate(tax.ISR, tax.Tasa, "0.0125")}
	case 12: // fletes
		l.Traslados = []tax.Rate{iva16()}
		l.Retenciones = []tax.Rate{rate(tax.IVA, tax.Tasa, "0.04")}
	}
	if cuota || r.IntN(2) == 0 {
		l.Cantidad = decimal.NewFromInt(1 + r.Int64N(50))
	} else {
		l.Cantidad = randomAmount(r, 1, 20, int32(1+r.IntN(3)))
	}
	hi := int64(5000)
	if decimals == 0 {
		hi = 500000
	}
	l.ValorUnitario = randomAmount(r, 1, hi, min(6, decimals+int32(r.IntN(3))))
	if r.IntN(4) == 0 {
		// up to 60 % off, leaving a positive base
		imp := tax.RoundImporte(l.Cantidad.Mul(l.ValorUnitario), decimals)
		l.Descuento = imp.Mul(decimal.New(int64(r.IntN(60)), -2)).Truncate(decimals)
	}
	if r.IntN(10) == 0 {
		l.ACuentaTerceros = &cfdi.ACuentaTerceros{RfcACuentaTerceros: "JUFA7608212V6", NombreACuentaTerceros: "ADRIANA JUAREZ FERNANDEZ",
			RegimenFiscalACuentaTerceros: "612", DomicilioFiscalACuentaTerceros: "01160"}
	}
	return l
}

// randomSpec draws a whole document for an issuer.
func randomSpec(r *rand.Rand, n int, is issuer) (docSpec, int32) {
	fecha := testNow.Add(-time.Duration(r.Int64N(int64(40 * 24 * time.Hour))))
	s := docSpec{
		Tipo: "I", Fecha: fecha.Format("2006-01-02T15:04:05"), LugarExpedicion: pick(r, lugares),
		Serie: pick(r, []string{"A", "F", "NC", ""}), Folio: fmt.Sprint(n + 1), Emisor: is.emisor,
	}
	s.Moneda = pick(r, []string{"MXN", "MXN", "MXN", "USD", "JPY", "CLF"})
	decimals := currencyDecs[s.Moneda]
	switch s.Moneda {
	case "MXN":
		s.TipoCambio = pick(r, []string{"", "1"})
	default:
		s.TipoCambio = pick(r, tiposCambio[s.Moneda])
	}
	if r.IntN(3) == 0 {
		s.FormaPago, s.MetodoPago = "99", "PPD"
	} else {
		s.FormaPago, s.MetodoPago = pick(r, formasPago), "PUE"
	}

	retenciones := false
	switch k := r.IntN(10); {
	case k == 0: // factura global
		s.Receptor = cfdi.Receptor{Rfc: "XAXX010101000", Nombre: "PUBLICO EN GENERAL", DomicilioFiscalReceptor: s.LugarExpedicion, RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
		per := 1 + r.IntN(5)
		mes := int(fecha.Month())
		if per == 5 {
			mes = 13 + (mes-1)/2
		}
		s.Global = &cfdi.InformacionGlobal{Periodicidad: fmt.Sprintf("%02d", per), Meses: fmt.Sprintf("%02d", mes), Anio: fmt.Sprint(fecha.Year())}
		if s.MetodoPago == "PPD" {
			s.FormaPago, s.MetodoPago = "01", "PUE"
		}
	case k == 1: // residente en el extranjero
		s.Receptor = cfdi.Receptor{Rfc: "XEXX010101000", Nombre: "ACME TRADING INC", DomicilioFiscalReceptor: s.LugarExpedicion,
			ResidenciaFiscal: pick(r, []string{"USA", "CAN", "ESP"}), NumRegIdTrib: "123456789", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
	default:
		rc := pick(r, receptores)
		s.Receptor = rc.Receptor
		s.Receptor.UsoCFDI = pick(r, rc.usos)
		retenciones = rc.moral
		switch r.IntN(5) {
		case 0: // nota de crédito
			s.Tipo = "E"
			s.Receptor.UsoCFDI = "G02"
			s.Relacionados = []cfdi.CfdiRelacionados{{TipoRelacion: pick(r, relacionesE)}}
		case 1:
			s.Relacionados = []cfdi.CfdiRelacionados{{TipoRelacion: pick(r, relacionesI)}}
		}
		for i := range s.Relacionados {
			for range 1 + r.IntN(3) {
				s.Relacionados[i].CfdiRelacionado = append(s.Relacionados[i].CfdiRelacionado, cfdi.CfdiRelacionado{UUID: randomUUID(r)})
			}
		}
	}
	for range 1 + r.IntN(40) {
		s.Lines = append(s.Lines, randomLine(r, decimals, retenciones))
	}
	return s, decimals
}

// TestPropertyRandomDocuments builds hundreds of random documents with
// domain/tax, checks them with the pre-flight rules and the SAT-limit
// checker, seals them with SAT's test CSDs and verifies each with Folio's
// verifier and with the independent oracle (XSD + SAT XSLT + openssl).
func TestPropertyRandomDocuments(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 50
	}
	testpack.RequireTools(t, "xmllint", "xsltproc", "openssl", "base64")
	issuers := loadIssuers(t)
	cats := realCatalogs(t)
	r := rand.New(rand.NewPCG(20261125, 4))
	dir := t.TempDir()

	type doc struct{ path, desc string }
	var docs []doc
	seen := map[string]int{}
	failed := func(path string, format string, args ...any) {
		t.Helper()
		kept := keepFailed(t, path)
		t.Errorf("%s: %s", kept, fmt.Sprintf(format, args...))
	}
	for i := range n {
		is := issuers[r.IntN(len(issuers))]
		s, decimals := randomSpec(r, i, is)
		c := build(t, s, decimals)
		path := filepath.Join(dir, fmt.Sprintf("doc-%03d.xml", i))

		opt := preflight.Options{Now: testNow, CertNotBefore: is.signer.Certificate().NotBefore,
			CertNotAfter: is.signer.Certificate().NotAfter, CertRFC: is.emisor.Rfc}
		if err := preflight.Check(c, cats, opt); err != nil {
			b, _ := cfdi.Marshal(c)
			_ = os.WriteFile(path, b, 0o644)
			failed(path, "preflight.Check: %v", domain.UserMessage(err))
			continue
		}
		if err := tax.CheckComprobante(preflight.AmountsOf(c), decimals); err != nil {
			failed(path, "tax.CheckComprobante: %v", err)
		}
		sealed, err := cfdi.Seal(c, is.signer)
		if err != nil {
			t.Fatalf("doc %d: cfdi.Seal: %v", i, err)
		}
		if err := os.WriteFile(path, sealed, 0o644); err != nil {
			t.Fatal(err)
		}
		if v := cfdi.Verify(sealed); !v.OK() || v.TFD != cfdi.TFDAbsent {
			failed(path, "cfdi.Verify: %s", v)
			continue
		}
		back, err := cfdi.Parse(sealed)
		if err != nil {
			failed(path, "cfdi.Parse of the sealed bytes: %v", err)
			continue
		}
		if err := cfdi.VerifySeal(back); err != nil {
			failed(path, "cfdi.VerifySeal: %v", err)
		}
		if err := preflight.Check(back, cats, opt); err != nil {
			failed(path, "preflight.Check after a round trip: %v", domain.UserMessage(err))
		}
		desc := fmt.Sprintf("%s %s %d conceptos", s.Tipo, s.Moneda, len(s.Lines))
		docs = append(docs, doc{path, desc})
		seen[s.Moneda]++
		seen["tipo "+s.Tipo]++
		seen["receptor "+s.Receptor.Rfc[:4]]++
		if s.Global != nil {
			seen["global"]++
		}
		if len(s.Relacionados) > 0 {
			seen["relacionados"]++
		}
		for _, k := range c.Conceptos {
			if k.ACuentaTerceros != nil {
				seen["terceros"]++
			}
			if im := k.Impuestos; im != nil {
				for _, x := range im.Traslados {
					seen["traslado "+x.Impuesto+" "+x.TipoFactor]++
				}
				for _, x := range im.Retenciones {
					seen["retención "+x.Impuesto]++
				}
			}
			if k.Descuento != "" {
				seen["descuento"]++
			}
		}
	}
	// The generator must reach every case the property is about.
	for _, want := range []string{"MXN", "USD", "JPY", "CLF", "tipo I", "tipo E", "receptor XAXX", "receptor XEXX", "global",
		"relacionados", "terceros", "descuento", "traslado 002 Tasa", "traslado 002 Exento", "traslado 003 Tasa",
		"traslado 003 Cuota", "traslado 003 Exento", "retención 001", "retención 002"} {
		if seen[want] == 0 {
			t.Errorf("no generated document covers %q (coverage %v)", want, seen)
		}
	}
	t.Logf("%d documents sealed; coverage %v", len(docs), seen)

	// The oracle is slow: two workers.
	jobs := make(chan doc, len(docs))
	for _, d := range docs {
		jobs <- d
	}
	close(jobs)
	var mu sync.Mutex
	checked := 0
	t.Run("oracle", func(t *testing.T) {
		for w := range 2 {
			t.Run(fmt.Sprint("worker", w), func(t *testing.T) {
				t.Parallel()
				for d := range jobs {
					ok, verdict := testpack.VerifySeal(t, d.path)
					if !ok {
						kept := keepFailed(t, d.path)
						t.Errorf("%s (%s): oracle: %s", kept, d.desc, verdict)
					}
					mu.Lock()
					checked++
					mu.Unlock()
				}
			})
		}
	})
	if checked != len(docs) {
		t.Errorf("oracle checked %d documents, want %d", checked, len(docs))
	}
}

// keepFailed copies a failing document to testdata/failed/ (ignored by git)
// so that it outlives the test's temporary directory, and returns its path.
func keepFailed(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return path
	}
	dst, _ := filepath.Abs(filepath.Join("testdata", "failed", filepath.Base(path)))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return path
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		return path
	}
	return dst
}
