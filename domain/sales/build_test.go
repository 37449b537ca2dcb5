package sales

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/internal/testpack"
)

// buildCases are invoices that together use every mapping rule: taxes,
// withholdings, discounts, exempt and IEPS lines, credit, foreign currency
// and customers, and the factura global.
func buildCases() map[string]Invoice {
	cust := DemoCustomers()
	prods := DemoProducts()
	line := func(i int, qty string) Line { p := prods[i]; return LineFromProduct(&p, dec(qty)) }
	fecha := time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)
	base := func(c Customer) Invoice {
		return Invoice{Issuer: DemoRFC, TipoDeComprobante: TipoIngreso, Serie: "A", Folio: 42, Fecha: fecha,
			CustomerID: 1, Customer: c, UsoCFDI: c.UsoCFDI, Terms: Contado, FormaPago: "03", Moneda: "MXN"}
	}
	withDiscount := line(1, "3")
	withDiscount.Descuento = dec("48.35")
	ieps := line(0, "1")
	ieps.Taxes.IEPSFactor, ieps.Taxes.IEPSValor = FactorTasa, dec("0.265")

	ordinary := base(cust[0])
	ordinary.Lines = []Line{line(0, "2"), withDiscount, line(2, "7.5"), line(3, "1.25"), line(4, "2"), ieps}
	ordinary.CondicionesDePago = "Contado"

	credit := base(cust[1])
	credit.Terms = Credito
	credit.Lines = []Line{line(2, "40")}

	foreign := base(cust[3])
	foreign.Moneda, foreign.TipoCambio = "USD", dec("18.2345")
	foreign.Lines = []Line{line(0, "1")}

	global := base(cust[2])
	global.UsoCFDI, global.FormaPago = UsoSinEfectos, "01"
	global.Global = &Global{Periodicidad: "04", Meses: "10", Anio: "2026"}
	venta := Line{Cantidad: dec("1"), ClaveProdServ: ClaveProdServGlobal, ClaveUnidad: ClaveUnidadGlobal,
		Descripcion: "Venta", ValorUnitario: dec("1234.56"), ObjetoImp: ObjetoImpSi, Taxes: Taxes{IVATasa: dec("0.16")}}
	venta2 := venta
	venta2.ValorUnitario, venta2.Taxes = dec("300"), Taxes{IVATasa: dec("0")}
	global.Lines = []Line{venta, venta2}
	return map[string]Invoice{"ordinary": ordinary, "credit": credit, "foreign": foreign, "global": global}
}

func demoSigner(t *testing.T) *csd.CSD {
	t.Helper()
	s, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("load demo CSD: %v", err)
	}
	return s
}

// TestBuildComprobanteSeals maps each case, seals it with the demo CSD and
// checks the result with the Go verifier and with SAT's own XSD + XSLT +
// OpenSSL (verify-seal.sh), and that the sealed totals are Compute's.
func TestBuildComprobanteSeals(t *testing.T) {
	cat := realCatalogs(t)
	signer := demoSigner(t)
	co := DemoCompany()
	dir := t.TempDir()
	for name, inv := range buildCases() {
		t.Run(name, func(t *testing.T) {
			inv.Normalize()
			if err := inv.Validate(cat, 2026); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			c, err := BuildComprobante(&inv, co, cat)
			if err != nil {
				t.Fatal(err)
			}
			xml, err := cfdi.Seal(c, signer)
			if err != nil {
				t.Fatal(err)
			}
			back, err := cfdi.Parse(xml)
			if err != nil {
				t.Fatalf("Parse(sealed): %v", err)
			}
			if err := cfdi.VerifySeal(back); err != nil {
				t.Fatalf("VerifySeal: %v", err)
			}
			totals, _ := Compute(&inv, 2)
			if back.Total != totals.Total.StringFixed(2) || back.SubTotal != totals.SubTotal.StringFixed(2) {
				t.Errorf("sealed Total/SubTotal = %s/%s, want %s/%s", back.Total, back.SubTotal, totals.Total.StringFixed(2), totals.SubTotal.StringFixed(2))
			}
			if back.MetodoPago != inv.MetodoPago() || back.FormaPago != inv.EffectiveFormaPago() || back.Folio != "42" {
				t.Errorf("MetodoPago/FormaPago/Folio = %s/%s/%s", back.MetodoPago, back.FormaPago, back.Folio)
			}
			file := filepath.Join(dir, name+".xml")
			if err := os.WriteFile(file, xml, 0o600); err != nil {
				t.Fatal(err)
			}
			if ok, verdict := testpack.VerifySeal(t, file); !ok {
				t.Errorf("verify-seal.sh: %s\n%s", verdict, xml)
			}
		})
	}
}

func TestBuildComprobanteMapping(t *testing.T) {
	cat := realCatalogs(t)
	co := DemoCompany()
	cases := buildCases()

	g := cases["global"]
	c, err := BuildComprobante(&g, co, cat)
	if err != nil {
		t.Fatal(err)
	}
	// The general public is addressed at the place of issue.
	if c.Receptor.DomicilioFiscalReceptor != co.LugarExpedicion || c.InformacionGlobal == nil || c.InformacionGlobal.Meses != "10" {
		t.Errorf("global receptor = %+v, info %+v", c.Receptor, c.InformacionGlobal)
	}
	if c.Fecha != "2026-11-25T11:30:00" {
		t.Errorf("Fecha = %s, want Mexico City local time 2026-11-25T11:30:00", c.Fecha)
	}
	f := cases["foreign"]
	c, _ = BuildComprobante(&f, co, cat)
	if c.Receptor.ResidenciaFiscal != "USA" || c.Receptor.NumRegIdTrib != "123456789" || c.TipoCambio != "18.2345" {
		t.Errorf("foreign receptor = %+v, TipoCambio %s", c.Receptor, c.TipoCambio)
	}
	cr := cases["credit"]
	cr.Normalize()
	c, _ = BuildComprobante(&cr, co, cat)
	if c.MetodoPago != "PPD" || c.FormaPago != "99" {
		t.Errorf("credit = %s/%s, want PPD/99", c.MetodoPago, c.FormaPago)
	}
	if c.Impuestos == nil || c.Impuestos.TotalImpuestosRetenidos != "7026.68" || len(c.Impuestos.Retenciones) != 2 {
		t.Errorf("withholdings = %+v", c.Impuestos)
	}
	o := cases["ordinary"]
	c, _ = BuildComprobante(&o, co, cat)
	if c.Descuento != "48.35" || c.Conceptos[1].Descuento != "48.35" || c.Conceptos[0].Descuento != "" {
		t.Errorf("Descuento = %q / %q / %q", c.Descuento, c.Conceptos[1].Descuento, c.Conceptos[0].Descuento)
	}
	if tr := c.Conceptos[4].Impuestos.Traslados[0]; tr.TipoFactor != "Exento" || tr.TasaOCuota != "" || tr.Importe != "" {
		t.Errorf("exento traslado = %+v", tr)
	}
	if _, err := BuildComprobante(&Invoice{Moneda: "ABC"}, co, cat); err == nil {
		t.Error("unknown currency accepted")
	}
}
