package preflight_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/testpack"
)

// testOptions are the options of a document sealed with EKU9003173C9's CSD
// (valid 2023-05-18 to 2027-05-18) at testNow.
func testOptions() preflight.Options {
	return preflight.Options{
		Now:           testNow,
		CertNotBefore: time.Date(2023, 5, 18, 11, 43, 51, 0, time.UTC),
		CertNotAfter:  time.Date(2027, 5, 18, 11, 43, 51, 0, time.UTC),
		CertRFC:       "EKU9003173C9",
	}
}

// fc is an expected problem: its field and code.
type fc struct{ Field, Code string }

func (p fc) String() string { return p.Field + "/" + p.Code }

func TestCheckValidDocumentsPass(t *testing.T) {
	cats := realCatalogs(t)
	extranjero := baseSpec()
	extranjero.Receptor = cfdi.Receptor{Rfc: "XEXX010101000", Nombre: "ACME INC", DomicilioFiscalReceptor: "42501",
		ResidenciaFiscal: "USA", NumRegIdTrib: "123456789", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
	usd := baseSpec()
	usd.Moneda, usd.TipoCambio = "USD", "17.2345"
	ppd := baseSpec()
	ppd.FormaPago, ppd.MetodoPago = "99", "PPD"
	for name, s := range map[string]docSpec{
		"factura": baseSpec(), "factura global": publicoSpec(), "residente en el extranjero": extranjero,
		"dólares": usd, "PPD": ppd,
	} {
		t.Run(name, func(t *testing.T) {
			c := build(t, s, 2)
			if err := preflight.Check(c, cats, testOptions()); err != nil {
				t.Fatalf("Check(valid %s) = %v, want nil; problems: %+v", name, err, preflight.Problems(err))
			}
		})
	}
}

func TestCheckRules(t *testing.T) {
	cats := realCatalogs(t)
	tests := []struct {
		name string
		spec func(*docSpec)          // changes the spec before amounts are computed
		doc  func(*cfdi.Comprobante) // changes the built document
		opt  func(*preflight.Options)
		want []fc
		// partial: the listed problems must be among those reported, which
		// may include consequences (for instance wrong sums).
		partial bool
	}{
		// Schema-required attributes.
		{name: "falta Exportacion", doc: func(c *cfdi.Comprobante) { c.Exportacion = "" }, want: []fc{{"Exportacion", ""}}},
		{name: "falta UsoCFDI", doc: func(c *cfdi.Comprobante) { c.Receptor.UsoCFDI = "" }, want: []fc{{"Receptor.UsoCFDI", ""}}},

		// Fecha.
		{name: "fecha sin patrón", doc: func(c *cfdi.Comprobante) { c.Fecha = "2026-11-19 10:30:00" }, want: []fc{{"Fecha", "CFDI40101"}}},
		{name: "fecha futura", doc: func(c *cfdi.Comprobante) { c.Fecha = "2026-11-20T12:00:01" }, want: []fc{{"Fecha", ""}}},
		{name: "fecha antes del CSD", doc: func(c *cfdi.Comprobante) { c.Fecha = "2023-05-01T10:00:00" }, want: []fc{{"Fecha", "305"}}},
		{name: "CSD vencido", opt: func(o *preflight.Options) { o.CertNotAfter = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, want: []fc{{"Fecha", "305"}}},

		// Emisor.
		{name: "RFC emisor mal formado", doc: func(c *cfdi.Comprobante) { c.Emisor.Rfc = "EKU9003173C" }, want: []fc{{"Emisor.Rfc", ""}}},
		{name: "RFC emisor genérico", doc: func(c *cfdi.Comprobante) { c.Emisor.Rfc = "XAXX010101000" }, want: []fc{{"Emisor.Rfc", ""}}},
		{name: "RFC emisor distinto del CSD", doc: func(c *cfdi.Comprobante) { c.Emisor.Rfc = "URE180429TM6" }, want: []fc{{"Emisor.Rfc", "303"}}},
		{name: "régimen emisor inexistente", doc: func(c *cfdi.Comprobante) { c.Emisor.RegimenFiscal = "699" }, want: []fc{{"Emisor.RegimenFiscal", "CFDI40140"}}},
		{name: "régimen de persona física en moral", doc: func(c *cfdi.Comprobante) { c.Emisor.RegimenFiscal = "612" }, want: []fc{{"Emisor.RegimenFiscal", "CFDI40141"}}},

		// Receptor.
		{name: "RFC receptor en minúsculas", doc: func(c *cfdi.Comprobante) { c.Receptor.Rfc = "ure180429tm6" }, want: []fc{{"Receptor.Rfc", ""}}},
		{name: "régimen receptor inexistente", doc: func(c *cfdi.Comprobante) { c.Receptor.RegimenFiscalReceptor = "699" }, want: []fc{{"Receptor.RegimenFiscalReceptor", "CFDI40157"}}},
		{name: "régimen de sueldos en moral", doc: func(c *cfdi.Comprobante) { c.Receptor.RegimenFiscalReceptor = "605"; c.Receptor.UsoCFDI = "S01" }, want: []fc{{"Receptor.RegimenFiscalReceptor", "CFDI40158"}}},
		{name: "uso D01 con régimen 601", doc: func(c *cfdi.Comprobante) { c.Receptor.UsoCFDI = "D01" }, want: []fc{{"Receptor.UsoCFDI", "CFDI40161"}}},
		{name: "CP receptor inexistente", doc: func(c *cfdi.Comprobante) { c.Receptor.DomicilioFiscalReceptor = "00000" }, want: []fc{{"Receptor.DomicilioFiscalReceptor", ""}}},
		{name: "residencia fiscal con RFC mexicano", doc: func(c *cfdi.Comprobante) { c.Receptor.ResidenciaFiscal = "USA" }, want: []fc{{"Receptor.ResidenciaFiscal", "CFDI40151"}}},
		{name: "NumRegIdTrib con RFC mexicano", doc: func(c *cfdi.Comprobante) { c.Receptor.NumRegIdTrib = "123456789" }, want: []fc{{"Receptor.NumRegIdTrib", "CFDI40154"}}},
		{name: "extranjero sin residencia ni registro", doc: func(c *cfdi.Comprobante) {
			c.Receptor = cfdi.Receptor{Rfc: "XEXX010101000", Nombre: "ACME INC", DomicilioFiscalReceptor: "42501", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
		}, want: []fc{{"Receptor.ResidenciaFiscal", "CFDI40153"}, {"Receptor.NumRegIdTrib", "CFDI40155"}}},
		{name: "extranjero residente en MEX", doc: func(c *cfdi.Comprobante) {
			c.Receptor = cfdi.Receptor{Rfc: "XEXX010101000", Nombre: "ACME INC", DomicilioFiscalReceptor: "42501", ResidenciaFiscal: "MEX", NumRegIdTrib: "1", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
		}, want: []fc{{"Receptor.ResidenciaFiscal", "CFDI40152"}}},
		{name: "extranjero con país inexistente", doc: func(c *cfdi.Comprobante) {
			c.Receptor = cfdi.Receptor{Rfc: "XEXX010101000", Nombre: "ACME INC", DomicilioFiscalReceptor: "42501", ResidenciaFiscal: "QQQ", NumRegIdTrib: "1", RegimenFiscalReceptor: "616", UsoCFDI: "S01"}
		}, want: []fc{{"Receptor.ResidenciaFiscal", "CFDI40150"}}},

		// Público en general and factura global.
		{name: "XAXX con otro nombre", spec: func(s *docSpec) { *s = publicoSpec(); s.Receptor.Nombre = "JUAN PEREZ" }, want: []fc{{"Receptor.Nombre", "CFDI40130"}}},
		{name: "XAXX con régimen 601", spec: func(s *docSpec) { *s = publicoSpec(); s.Receptor.RegimenFiscalReceptor = "601" }, want: []fc{{"Receptor.RegimenFiscalReceptor", "CFDI40158"}}},
		{name: "XAXX con uso G03", spec: func(s *docSpec) { *s = publicoSpec(); s.Receptor.UsoCFDI = "G03" }, want: []fc{{"Receptor.UsoCFDI", "CFDI40161"}, {"Receptor.UsoCFDI", "CFDI40161"}}},
		{name: "XAXX con CP distinto al de expedición", spec: func(s *docSpec) { *s = publicoSpec(); s.Receptor.DomicilioFiscalReceptor = "86991" }, want: []fc{{"Receptor.DomicilioFiscalReceptor", "CFDI40149"}}},
		{name: "XAXX sin información global", spec: func(s *docSpec) { *s = publicoSpec(); s.Global = nil }, want: []fc{{"InformacionGlobal", ""}}},
		{name: "información global con RFC nominativo", spec: func(s *docSpec) { s.Global = &cfdi.InformacionGlobal{Periodicidad: "04", Meses: "10", Anio: "2026"} }, want: []fc{{"InformacionGlobal", "CFDI40146"}}},
		{name: "periodicidad inexistente", spec: func(s *docSpec) { *s = publicoSpec(); s.Global.Periodicidad = "06" }, want: []fc{{"InformacionGlobal.Periodicidad", "CFDI40131"}}},
		{name: "bimestre con periodicidad mensual", spec: func(s *docSpec) { *s = publicoSpec(); s.Global.Meses = "13" }, want: []fc{{"InformacionGlobal.Meses", "CFDI40134"}}},
		{name: "mes con periodicidad bimestral", spec: func(s *docSpec) { *s = publicoSpec(); s.Global.Periodicidad = "05" }, want: []fc{{"InformacionGlobal.Meses", "CFDI40135"}}},
		{name: "año de factura global antiguo", spec: func(s *docSpec) { *s = publicoSpec(); s.Global.Anio = "2024" }, want: []fc{{"InformacionGlobal.Anio", "CFDI40136"}}},

		// Comprobante catalogs and their combinations.
		{name: "tipo de comprobante inexistente", doc: func(c *cfdi.Comprobante) { c.TipoDeComprobante = "X" }, want: []fc{{"TipoDeComprobante", "CFDI40121"}}},
		{name: "forma de pago inexistente", doc: func(c *cfdi.Comprobante) { c.FormaPago = "77" }, want: []fc{{"FormaPago", "CFDI40104"}}},
		{name: "falta forma de pago", doc: func(c *cfdi.Comprobante) { c.FormaPago = "" }, want: []fc{{"FormaPago", ""}}},
		{name: "método de pago inexistente", doc: func(c *cfdi.Comprobante) { c.MetodoPago = "PIP" }, want: []fc{{"MetodoPago", "CFDI40124"}}},
		{name: "PPD sin forma 99", doc: func(c *cfdi.Comprobante) { c.MetodoPago = "PPD" }, want: []fc{{"FormaPago", "CFDI40105"}}},
		{name: "traslado con forma de pago", doc: func(c *cfdi.Comprobante) {
			c.TipoDeComprobante = "T"
			c.MetodoPago = ""
		}, want: []fc{{"FormaPago", "CFDI40103"}, {"SubTotal", "CFDI40109"}, {"Impuestos", "CFDI40201"}}, partial: true},
		{name: "moneda inexistente", doc: func(c *cfdi.Comprobante) { c.Moneda = "ABC" }, want: []fc{{"Moneda", "CFDI40113"}}},
		{name: "dólares sin tipo de cambio", spec: func(s *docSpec) { s.Moneda = "USD" }, want: []fc{{"TipoCambio", "CFDI40115"}}},
		{name: "pesos con tipo de cambio", doc: func(c *cfdi.Comprobante) { c.TipoCambio = "17.5" }, want: []fc{{"TipoCambio", "CFDI40114"}}},
		{name: "XXX con tipo de cambio", doc: func(c *cfdi.Comprobante) { c.Moneda, c.TipoCambio = "XXX", "1" }, want: []fc{{"TipoCambio", "CFDI40116"}}, partial: true},
		{name: "tipo de cambio con 7 decimales", spec: func(s *docSpec) { s.Moneda, s.TipoCambio = "USD", "17.1234567" }, want: []fc{{"TipoCambio", "CFDI40117"}}},
		{name: "exportación inexistente", doc: func(c *cfdi.Comprobante) { c.Exportacion = "09" }, want: []fc{{"Exportacion", "CFDI40123"}}},
		{name: "exportación definitiva sin complemento", doc: func(c *cfdi.Comprobante) { c.Exportacion = "02" }, want: []fc{{"Exportacion", "CFDI40122"}}},
		{name: "lugar de expedición inexistente", doc: func(c *cfdi.Comprobante) { c.LugarExpedicion = "00000" }, want: []fc{{"LugarExpedicion", "CFDI40126"}}},
		{name: "tipo de relación inexistente", spec: func(s *docSpec) {
			s.Relacionados = []cfdi.CfdiRelacionados{{TipoRelacion: "99", CfdiRelacionado: []cfdi.CfdiRelacionado{{UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}}}}
		}, want: []fc{{"CfdiRelacionados[0].TipoRelacion", "CFDI40137"}}},
		{name: "UUID relacionado mal formado", spec: func(s *docSpec) {
			s.Relacionados = []cfdi.CfdiRelacionados{{TipoRelacion: "04", CfdiRelacionado: []cfdi.CfdiRelacionado{{UUID: "5FB2822E"}}}}
		}, want: []fc{{"CfdiRelacionados[0].CfdiRelacionado[0].UUID", ""}}},

		// Conceptos.
		{name: "clave de producto inexistente", doc: func(c *cfdi.Comprobante) { c.Conceptos[0].ClaveProdServ = "99999999" }, want: []fc{{"Conceptos[0].ClaveProdServ", "CFDI40162"}}},
		{name: "clave de unidad inexistente", doc: func(c *cfdi.Comprobante) { c.Conceptos[1].ClaveUnidad = "ZZZ" }, want: []fc{{"Conceptos[1].ClaveUnidad", "CFDI40165"}}},
		{name: "valor unitario cero en ingreso", doc: func(c *cfdi.Comprobante) { c.Conceptos[1].ValorUnitario = "0" }, want: []fc{{"Conceptos[1].ValorUnitario", "CFDI40166"}}, partial: true},
		{name: "ObjetoImp 01 con impuestos", doc: func(c *cfdi.Comprobante) { c.Conceptos[0].ObjetoImp = "01" }, want: []fc{{"Conceptos[0].ObjetoImp", "CFDI40172"}}},
		{name: "ObjetoImp 04 con impuestos", doc: func(c *cfdi.Comprobante) { c.Conceptos[0].ObjetoImp = "04" }, want: []fc{{"Conceptos[0].ObjetoImp", "CFDI40172"}}},
		{name: "ObjetoImp 02 sin impuestos", spec: func(s *docSpec) { s.Lines[1].Traslados = nil; s.Lines[1].ObjetoImp = "01" },
			doc: func(c *cfdi.Comprobante) { c.Conceptos[1].ObjetoImp = "02" }, want: []fc{{"Conceptos[1].ObjetoImp", "CFDI40171"}}},
		{name: "ObjetoImp inexistente", spec: func(s *docSpec) { s.Lines[1].Traslados = nil; s.Lines[1].ObjetoImp = "01" },
			doc: func(c *cfdi.Comprobante) { c.Conceptos[1].ObjetoImp = "09" }, want: []fc{{"Conceptos[1].ObjetoImp", "CFDI40170"}}},
		{name: "nodo de impuestos vacío", doc: func(c *cfdi.Comprobante) {
			c.Conceptos[1].Impuestos = &cfdi.ImpuestosConcepto{}
		}, want: []fc{{"Conceptos[1].Impuestos", "CFDI40173"}, {"Conceptos[1].ObjetoImp", "CFDI40171"}}, partial: true},
		{name: "tasa de IVA fuera del catálogo", spec: func(s *docSpec) { s.Lines[0].Traslados[0].TasaOCuota = dec("0.15") },
			want: []fc{{"Conceptos[0].Impuestos.Traslados[0].TasaOCuota", "CFDI40179"}, {"Impuestos.Traslados[0].TasaOCuota", "CFDI40219"}}},
		{name: "retención de ISR fuera de rango", spec: func(s *docSpec) {
			s.Lines[0].Retenciones = []tax.Rate{{Impuesto: tax.ISR, TipoFactor: tax.Tasa, TasaOCuota: dec("0.40")}}
		}, want: []fc{{"Conceptos[0].Impuestos.Retenciones[0].TasaOCuota", "CFDI40185"}}},
		{name: "traslado de ISR", doc: func(c *cfdi.Comprobante) {
			c.Conceptos[0].Impuestos.Traslados = append(c.Conceptos[0].Impuestos.Traslados, cfdi.Traslado{Base: "3001.00", Impuesto: "001", TipoFactor: "Tasa", TasaOCuota: "0.100000", Importe: "300.10"})
		}, want: []fc{{"Conceptos[0].Impuestos.Traslados[1].Impuesto", "CFDI40175"}}, partial: true},
		{name: "impuesto inexistente en retención", doc: func(c *cfdi.Comprobante) {
			c.Conceptos[0].Impuestos.Retenciones = []cfdi.Retencion{{Base: "3001.00", Impuesto: "004", TipoFactor: "Tasa", TasaOCuota: "0.100000", Importe: "300.10"}}
		}, want: []fc{{"Conceptos[0].Impuestos.Retenciones[0].Impuesto", "CFDI40182"}}, partial: true},
		{name: "tercero igual al receptor", spec: func(s *docSpec) {
			s.Lines[0].ACuentaTerceros = &cfdi.ACuentaTerceros{RfcACuentaTerceros: "URE180429TM6", NombreACuentaTerceros: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscalACuentaTerceros: "601", DomicilioFiscalACuentaTerceros: "86991"}
		}, want: []fc{{"Conceptos[0].ACuentaTerceros.RfcACuentaTerceros", "CFDI40188"}}},
		{name: "tercero con régimen y CP inexistentes", spec: func(s *docSpec) {
			s.Lines[0].ACuentaTerceros = &cfdi.ACuentaTerceros{RfcACuentaTerceros: "JUFA7608212V6", NombreACuentaTerceros: "ADRIANA JUAREZ FERNANDEZ", RegimenFiscalACuentaTerceros: "699", DomicilioFiscalACuentaTerceros: "00000"}
		}, want: []fc{{"Conceptos[0].ACuentaTerceros.RegimenFiscalACuentaTerceros", "CFDI40191"}, {"Conceptos[0].ACuentaTerceros.DomicilioFiscalACuentaTerceros", ""}}},

		// Amounts, through domain/tax.
		{name: "total inconsistente", doc: func(c *cfdi.Comprobante) { c.Total = "1.00" }, want: []fc{{"Total", "CFDI40119"}}},
		{name: "subtotal inconsistente", doc: func(c *cfdi.Comprobante) { c.SubTotal = "3350.00" }, want: []fc{{"SubTotal", "CFDI40108"}}, partial: true},
		{name: "descuento mayor que el importe", doc: func(c *cfdi.Comprobante) { c.Conceptos[1].Descuento = "400.00" }, want: []fc{{"Conceptos[1]", "CFDI40169"}}, partial: true},
		{name: "yenes con centavos", spec: func(s *docSpec) { s.Moneda, s.TipoCambio = "JPY", "0.1150" }, want: []fc{{"SubTotal", "CFDI40107"}, {"Total", "CFDI40119"}}, partial: true},
		{name: "importe de IVA fuera de límites", doc: func(c *cfdi.Comprobante) { c.Conceptos[0].Impuestos.Traslados[0].Importe = "480.00" }, want: []fc{{"Conceptos[0]", "CFDI40180"}}, partial: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := baseSpec()
			if tt.spec != nil {
				tt.spec(&s)
			}
			c := build(t, s, 2)
			if tt.doc != nil {
				tt.doc(c)
			}
			opt := testOptions()
			if tt.opt != nil {
				tt.opt(&opt)
			}
			err := preflight.Check(c, cats, opt)
			if err == nil {
				t.Fatalf("Check = nil, want %v", tt.want)
			}
			var got []fc
			for _, p := range preflight.Problems(err) {
				got = append(got, fc{p.Field, p.Code})
				if p.Msg == "" || !strings.HasSuffix(strings.TrimSpace(p.Msg), ".") && !strings.HasSuffix(p.Msg, ")") {
					t.Errorf("problem %v: Msg = %q, want a Spanish sentence", p, p.Msg)
				}
			}
			if tt.partial {
				for _, w := range tt.want {
					if !slices.Contains(got, w) {
						t.Errorf("problems = %v, want them to include %v\n%s", got, w, domain.UserMessage(err))
					}
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("problems = %v, want %v\n%s", got, tt.want, domain.UserMessage(err))
			}
		})
	}
}

func TestCheckReportsEveryProblem(t *testing.T) {
	// Given a valid document with three unrelated mistakes,
	c := build(t, baseSpec(), 2)
	c.Receptor.UsoCFDI = "D01"
	c.Conceptos[1].ClaveUnidad = "ZZZ"
	c.Total = "1.00"

	// when it is checked,
	err := preflight.Check(c, realCatalogs(t), testOptions())

	// then all three are reported, each a domain.Error of kind Invalid.
	got := preflight.Problems(err)
	want := []fc{{"Receptor.UsoCFDI", "CFDI40161"}, {"Conceptos[1].ClaveUnidad", "CFDI40165"}, {"Total", "CFDI40119"}}
	if len(got) != len(want) {
		t.Fatalf("Problems = %+v, want %v", got, want)
	}
	for i, w := range want {
		if got[i].Field != w.Field || got[i].Code != w.Code {
			t.Errorf("problem %d = %s/%s, want %v", i, got[i].Field, got[i].Code, w)
		}
	}
	if k := domain.KindOf(err); k != domain.Invalid {
		t.Errorf("KindOf = %v, want invalid", k)
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok || len(j.Unwrap()) != 3 {
		t.Fatalf("err is not errors.Join of 3: %T", err)
	}
	for _, e := range j.Unwrap() {
		var de *domain.Error
		if !errors.As(e, &de) || de.Kind != domain.Invalid || de.Code == "" {
			t.Errorf("joined error %v is not an Invalid domain.Error with a code", e)
		}
	}
	if msg := domain.UserMessage(err); strings.Count(msg, "\n") != 2 {
		t.Errorf("UserMessage has %d lines, want 3:\n%s", strings.Count(msg, "\n")+1, msg)
	}
}

func TestProblemsOfOtherErrors(t *testing.T) {
	if p := preflight.Problems(nil); p != nil {
		t.Errorf("Problems(nil) = %v, want nil", p)
	}
	p := preflight.Problems(errors.New("boom"))
	if len(p) != 1 || p[0].Msg == "" || p[0].Field != "" {
		t.Errorf("Problems(plain error) = %+v, want one problem with a generic message", p)
	}
	if err := preflight.Check(nil, realCatalogs(t), preflight.Options{}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("Check(nil) = %v, want an Invalid error", err)
	}
}

// TestCheckSamples runs the pre-flight rules on SAT reference samples whose
// business data are consistent (01–04, 06 and 11–14; the others carry 2019
// test data or nonsense on purpose), with the validity of each document's
// own certificate.
func TestCheckSamples(t *testing.T) {
	cats := realCatalogs(t)
	for _, f := range testpack.Samples(t) {
		name := filepath.Base(f)
		num := name[:2]
		t.Run(name, func(t *testing.T) {
			c, err := cfdi.Parse(testpack.Read(t, "samples", name))
			if err != nil {
				t.Fatal(err)
			}
			cert, err := cfdi.DocumentCertificate(c)
			if err != nil {
				t.Fatal(err)
			}
			err = preflight.Check(c, cats, preflight.Options{Now: time.Now(), CertNotBefore: cert.NotBefore, CertNotAfter: cert.NotAfter})
			switch num {
			case "01", "02", "03", "04", "06", "11", "12", "13", "14":
				if err != nil {
					t.Errorf("Check = %+v, want nil", preflight.Problems(err))
				}
			case "15":
				if got := preflight.Problems(err); len(got) != 1 || got[0].Field != "Exportacion" {
					t.Errorf("Check = %+v, want only the missing Exportacion", got)
				}
			default:
				if err == nil {
					t.Errorf("Check = nil, want problems")
				}
			}
		})
	}
}
